using Microsoft.Extensions.Logging;

namespace Correctomatic.Starter;

/// <summary>Every log line of the starter (STYLE habit 6): job lines carry job_id and work_id; no secret is ever logged.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "starter connected: redis {RedisUrl}, docker {DockerEndpoint} (host id {DockerHostId}), streams prefix '{Prefix}', consumer {Consumer}")]
    public static partial void Connected(ILogger logger, string redisUrl, string dockerEndpoint, string dockerHostId, string prefix, string consumer);

    [LoggerMessage(2, LogLevel.Warning, "ALLOWED_IMAGES=* : every image may run, including ones anybody who can write to Redis chooses")]
    public static partial void AllImagesAllowed(ILogger logger);

    [LoggerMessage(3, LogLevel.Information, "job started job_id={JobId} work_id={WorkId} container={ContainerId} deadline={Deadline:O}")]
    public static partial void JobStarted(ILogger logger, string jobId, string? workId, string containerId, DateTimeOffset deadline);

    [LoggerMessage(4, LogLevel.Warning, "job rejected job_id={JobId} work_id={WorkId}: {Reason}")]
    public static partial void JobRejected(ILogger logger, string jobId, string? workId, string reason);

    [LoggerMessage(5, LogLevel.Warning, "job dead-lettered job_id={JobId} work_id={WorkId}: {Reason}")]
    public static partial void JobDead(ILogger logger, string jobId, string? workId, string reason);

    [LoggerMessage(6, LogLevel.Error, "job failed job_id={JobId} work_id={WorkId}: {Reason}")]
    public static partial void JobFailed(ILogger logger, string jobId, string? workId, string reason);

    [LoggerMessage(7, LogLevel.Debug, "container created job_id={JobId} work_id={WorkId} container={ContainerId} name={Name}")]
    public static partial void ContainerCreated(ILogger logger, string jobId, string? workId, string containerId, string name);

    [LoggerMessage(8, LogLevel.Information, "container removed job_id={JobId} work_id={WorkId} container={ContainerId}")]
    public static partial void ContainerRemoved(ILogger logger, string jobId, string? workId, string containerId);

    [LoggerMessage(9, LogLevel.Error, "could not remove container job_id={JobId} work_id={WorkId} container={ContainerId}: {Reason}")]
    public static partial void ContainerRemoveFailed(ILogger logger, string jobId, string? workId, string containerId, string reason);

    [LoggerMessage(10, LogLevel.Warning, "replacing a leftover container of an earlier attempt job_id={JobId} work_id={WorkId} container={ContainerId} state={State}")]
    public static partial void LeftoverReplaced(ILogger logger, string jobId, string? workId, string containerId, string state);

    [LoggerMessage(11, LogLevel.Information, "pulling image job_id={JobId} work_id={WorkId} image={Image}")]
    public static partial void PullingImage(ILogger logger, string jobId, string? workId, string image);

    [LoggerMessage(12, LogLevel.Warning, "job left pending for a retry job_id={JobId} work_id={WorkId}: {Reason}")]
    public static partial void JobRetryLater(ILogger logger, string jobId, string? workId, string reason);

    [LoggerMessage(13, LogLevel.Information, "at the cap of {Cap} running containers on this host: not reading pending")]
    public static partial void AtContainerCap(ILogger logger, int cap);

    [LoggerMessage(14, LogLevel.Information, "reclaimed {Count} pending entries from dead starters")]
    public static partial void Reclaimed(ILogger logger, int count);

    [LoggerMessage(16, LogLevel.Information, "stopping: no more reads, waiting for {Count} jobs in hand")]
    public static partial void Stopping(ILogger logger, int count);

    [LoggerMessage(17, LogLevel.Warning, "job taken over by another starter job_id={JobId} work_id={WorkId}: nothing handed off by this one")]
    public static partial void TakenOver(ILogger logger, string jobId, string? workId);

    [LoggerMessage(18, LogLevel.Information, "image {Image} has no /bin/sh: its containers get the file through the archive API into a /tmp volume job_id={JobId} work_id={WorkId}")]
    public static partial void NoShellArchiveDelivery(ILogger logger, string jobId, string? workId, string image);

    [LoggerMessage(19, LogLevel.Warning, "the submission could not be delivered on stdin job_id={JobId} work_id={WorkId} container={ContainerId}: {Reason}")]
    public static partial void DeliveryFailed(ILogger logger, string jobId, string? workId, string containerId, string reason);
}
