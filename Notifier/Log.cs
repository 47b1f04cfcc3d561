using Microsoft.Extensions.Logging;

namespace Correctomatic.Notifier;

/// <summary>Every log line of the notifier (STYLE habit 6): job lines carry job_id and work_id; no key or secret is ever logged.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "notifier {Consumer} reading {Stream} (group {Group}) on {Redis}; signing {Algorithm}; concurrency {Concurrency}, allowed networks [{Allowed}]")]
    public static partial void Started(ILogger logger, string consumer, string stream, string group, string redis, string algorithm, int concurrency, string allowed);

    [LoggerMessage(2, LogLevel.Information, "job_id={JobId} work_id={WorkId} delivered to {Host} on attempt {Attempt} in {ElapsedMs} ms")]
    public static partial void Delivered(ILogger logger, string jobId, string? workId, string host, int attempt, long elapsedMs);

    [LoggerMessage(3, LogLevel.Warning, "job_id={JobId} work_id={WorkId} attempt {Attempt} to {Host} failed ({Detail}); next in {DelayMs} ms")]
    public static partial void RetryScheduled(ILogger logger, string jobId, string? workId, int attempt, string host, string detail, long delayMs);

    [LoggerMessage(4, LogLevel.Error, "job_id={JobId} work_id={WorkId} callback dead-lettered after {Attempts} attempt(s): {Reason}")]
    public static partial void DeadLettered(ILogger logger, string jobId, string? workId, int attempts, string reason);

    [LoggerMessage(5, LogLevel.Error, "entry {EntryId} job_id={JobId} work_id={WorkId} is not a valid finished entry, dead-lettered: {Error}")]
    public static partial void InvalidEntry(ILogger logger, string entryId, string? jobId, string? workId, string error);

    [LoggerMessage(6, LogLevel.Information, "job_id={JobId} work_id={WorkId} was delivered before a restart; acknowledged without sending again")]
    public static partial void AlreadyDelivered(ILogger logger, string jobId, string? workId);

    [LoggerMessage(7, LogLevel.Information, "reclaimed {Count} entries from notifiers that stopped renewing them")]
    public static partial void Reclaimed(ILogger logger, int count);

    [LoggerMessage(8, LogLevel.Warning, "job_id={JobId} work_id={WorkId} left un-acknowledged for another notifier: {Reason}")]
    public static partial void LeftPending(ILogger logger, string jobId, string? workId, string reason, Exception? exception);

    [LoggerMessage(10, LogLevel.Information, "stopping: reading stopped; waiting up to {GraceMs} ms for {InFlight} in-flight deliveries; {Held} entries stay pending")]
    public static partial void Stopping(ILogger logger, long graceMs, int inFlight, int held);

    [LoggerMessage(11, LogLevel.Warning, "grace period over: abandoning {Count} deliveries un-acknowledged (they will be reclaimed)")]
    public static partial void Abandoning(ILogger logger, int count);

    [LoggerMessage(12, LogLevel.Information, "stopped")]
    public static partial void Stopped(ILogger logger);
}
