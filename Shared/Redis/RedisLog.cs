using Microsoft.Extensions.Logging;

namespace Correctomatic.Shared.Redis;

/// <summary>Log lines of the stream queue.</summary>
internal static partial class RedisLog
{
    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "Outcome of a step on {Stream} unknown (attempt {Attempt}: {Reason}); running it again, which is safe")]
    public static partial void OutcomeUnknown(ILogger logger, string stream, int attempt, string reason);

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

    [LoggerMessage(EventId = 3016, Level = LogLevel.Information, Message = "Entry {EntryId} of {Stream} was already handed off as {NewId} by an earlier run whose reply was lost; not again")]
    public static partial void AlreadyHandedOff(ILogger logger, string stream, string entryId, string newId);

    [LoggerMessage(EventId = 3017, Level = LogLevel.Warning, Message = "{Count} entries of {Stream} over QUEUE_MAX_ENTRY_BYTES={MaxBytes} were dead-lettered to {DeadStream} without their fields, unread")]
    public static partial void OversizedDeadLettered(ILogger logger, string stream, long count, long maxBytes, string deadStream);

    [LoggerMessage(EventId = 3018, Level = LogLevel.Warning, Message = "Entry {EntryId} of {Stream} cannot be read ({Reason}); dead-lettered by id")]
    public static partial void UnreadableEntry(ILogger logger, string stream, string entryId, string reason);

    [LoggerMessage(EventId = 3019, Level = LogLevel.Warning, Message = "The wait for new entries of {Stream} failed ({Reason}); its connection is replaced, and the read goes on")]
    public static partial void ReaderReplaced(ILogger logger, string stream, string reason);
}
