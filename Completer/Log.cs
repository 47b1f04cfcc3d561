using Microsoft.Extensions.Logging;

namespace Correctomatic.Completer;

/// <summary>Every log line of the completer (STYLE habit 6): job lines carry job_id and work_id.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "completer started: Redis {RedisUrl}, Docker {DockerEndpoint} (host id {DockerHostId}), stream {Stream}, group {Group}, consumer {Consumer}")]
    public static partial void Started(this ILogger logger, string redisUrl, string dockerEndpoint, string dockerHostId, string stream, string group, string consumer);

    [LoggerMessage(2, LogLevel.Information, "job completed: job_id={JobId} work_id={WorkId} status={Status} exit_code={ExitCode} container={ContainerId}")]
    public static partial void Completed(this ILogger logger, string jobId, string? workId, string status, long? exitCode, string containerId);

    [LoggerMessage(3, LogLevel.Warning, "completing failed, will retry: job_id={JobId} work_id={WorkId} container={ContainerId}")]
    public static partial void CompletionFailed(this ILogger logger, Exception exception, string jobId, string? workId, string containerId);

    [LoggerMessage(4, LogLevel.Warning, "running entry {EntryId} is unusable, dead-lettered: {Reason}")]
    public static partial void EntryDeadLettered(this ILogger logger, string entryId, string reason);

    [LoggerMessage(5, LogLevel.Warning, "second running entry {EntryId} for a container already handled, acknowledged: job_id={JobId} work_id={WorkId} container={ContainerId}")]
    public static partial void DuplicateEntry(this ILogger logger, string entryId, string jobId, string? workId, string containerId);

    [LoggerMessage(6, LogLevel.Information, "container past its deadline, killed: job_id={JobId} work_id={WorkId} container={ContainerId}")]
    public static partial void KilledAtDeadline(this ILogger logger, string? jobId, string? workId, string containerId);

    [LoggerMessage(7, LogLevel.Warning, "finished container without a running entry for {Grace}, removed: job_id={JobId} work_id={WorkId} container={ContainerId}")]
    public static partial void OrphanRemoved(this ILogger logger, TimeSpan grace, string? jobId, string? workId, string containerId);

    [LoggerMessage(8, LogLevel.Warning, "{Loop} failed, retrying in {Delay}")]
    public static partial void LoopFailed(this ILogger logger, Exception exception, string loop, TimeSpan delay);

    [LoggerMessage(9, LogLevel.Debug, "running entry read: job_id={JobId} work_id={WorkId} container={ContainerId}")]
    public static partial void EntryRead(this ILogger logger, string jobId, string? workId, string containerId);

    [LoggerMessage(10, LogLevel.Debug, "container finished: {ContainerId} ({Source})")]
    public static partial void ContainerFinished(this ILogger logger, string containerId, string source);

    [LoggerMessage(11, LogLevel.Information, "reclaimed {Count} running entries of a stopped completer")]
    public static partial void Reclaimed(this ILogger logger, int count);

    [LoggerMessage(12, LogLevel.Warning, "running entry {EntryId} was taken over by another completer before the hand-off: job_id={JobId} work_id={WorkId}")]
    public static partial void EntryTakenOver(this ILogger logger, string entryId, string jobId, string? workId);

    [LoggerMessage(14, LogLevel.Warning, "job handed off but its container could not be removed yet (the sweep retries): job_id={JobId} work_id={WorkId} container={ContainerId}")]
    public static partial void RemoveFailed(this ILogger logger, Exception exception, string jobId, string? workId, string containerId);

    [LoggerMessage(13, LogLevel.Warning, "{Count} running entries were taken over by another completer (renewed too late)")]
    public static partial void EntriesLost(this ILogger logger, int count);

    [LoggerMessage(15, LogLevel.Error, "completion given up, status {Outcome}: job_id={JobId} work_id={WorkId} container={ContainerId}: {Reason}")]
    public static partial void CompletionGivenUp(this ILogger logger, string jobId, string? workId, string containerId, string outcome, string reason);

    [LoggerMessage(16, LogLevel.Warning, "infrastructure fault, job put back into pending to run again: job_id={JobId} work_id={WorkId} container={ContainerId}: {Cause}")]
    public static partial void JobRunAgain(this ILogger logger, string jobId, string? workId, string containerId, string cause);

    [LoggerMessage(17, LogLevel.Warning, "removed {Count} unused volumes of ours that the engine left behind their containers")]
    public static partial void VolumesPruned(this ILogger logger, int count);

    [LoggerMessage(18, LogLevel.Warning, "SIGKILL with no oom event and no kill through the engine, read as the kernel's OOM kill (the engine lost its notice): job_id={JobId} work_id={WorkId} container={ContainerId}")]
    public static partial void OomInferred(this ILogger logger, string jobId, string? workId, string containerId);
}
