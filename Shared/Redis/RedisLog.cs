using Microsoft.Extensions.Logging;

namespace Correctomatic.Shared.Redis;

/// <summary>Log lines of the Redis client and the stream queue. Endpoints are logged redacted (never a password).</summary>
internal static partial class RedisLog
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Connected to Redis {Endpoint} as {ConnectionName}")]
    public static partial void Connected(ILogger logger, string endpoint, string connectionName);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Lost Redis connection {ConnectionName} to {Endpoint}: {Reason}")]
    public static partial void ConnectionLost(ILogger logger, string endpoint, string connectionName, string reason);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "Reconnecting to Redis {Endpoint}, attempt {Attempt} in {Delay}: {Reason}")]
    public static partial void Reconnecting(ILogger logger, string endpoint, int attempt, TimeSpan delay, string reason);

    [LoggerMessage(EventId = 3010, Level = LogLevel.Information, Message = "Created consumer group {Group} on {Stream}")]
    public static partial void GroupCreated(ILogger logger, string stream, string group);

    [LoggerMessage(EventId = 3011, Level = LogLevel.Information, Message = "Reclaimed {Count} entries of {Stream} idle longer than {MinIdle} for consumer {Consumer}")]
    public static partial void Reclaimed(ILogger logger, string stream, int count, TimeSpan minIdle, string consumer);

    [LoggerMessage(EventId = 3012, Level = LogLevel.Warning, Message = "Dead-lettered entry {EntryId} of {Stream} as {DeadId}: {Reason}")]
    public static partial void DeadLettered(ILogger logger, string stream, string entryId, string deadId, string reason);

    [LoggerMessage(EventId = 3013, Level = LogLevel.Warning, Message = "Entries {EntryIds} of {Stream} were deleted while pending; dropped from the pending list")]
    public static partial void DeletedWhilePending(ILogger logger, string stream, string entryIds);

    [LoggerMessage(EventId = 3014, Level = LogLevel.Information, Message = "Trimmed {Removed} acknowledged entries of {Stream} by the retention policy")]
    public static partial void Trimmed(ILogger logger, string stream, long removed);

    [LoggerMessage(EventId = 3015, Level = LogLevel.Warning, Message = "Entry {EntryId} of {Stream} is no longer pending for consumer {Consumer}: another consumer took it over; not handed off twice")]
    public static partial void NotOwned(ILogger logger, string stream, string entryId, string consumer);
}
