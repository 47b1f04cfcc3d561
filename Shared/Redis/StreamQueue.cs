using System.Globalization;
using Correctomatic.Shared.Contracts;
using Correctomatic.Shared.Redis.Streams;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Correctomatic.Shared.Redis;

/// <summary>
/// At-least-once consumption of one stream by one consumer of one group (issue #3). The job's life in Redis:
/// <list type="number">
/// <item><b>read</b> (XREADGROUP &gt;): the entry is now pending for this consumer — hidden from the others, not removed.
///   If the process dies from here on, the entry stays pending and a live consumer reclaims it after min-idle.</item>
/// <item><b>hand off</b> (one script: XADD next + XACK): both or neither happen; if we die before, the entry is reclaimed
///   and handed off by someone else; if we die after, it is done. Only the consumer that owns the entry can hand it off.</item>
/// <item><b>reclaim</b> (XAUTOCLAIM): entries idle longer than min-idle move to this consumer; their delivery count grows.</item>
/// <item><b>dead-letter</b>: after <see cref="StreamQueueOptions.MaxDeliveries"/> deliveries, or when the stage says so,
///   the entry goes to the dead stream with its original fields and a reason, atomically with its XACK.</item>
/// </list>
/// Entries are never XDEL'ed (other groups may still need them); <see cref="TrimAsync"/> bounds the stream safely.
/// </summary>
public sealed partial class StreamQueue : IStreamQueue
{
    private readonly IRedisClient _redis;
    private readonly StreamQueueOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private string _reclaimCursor = "0-0";
    private long _lastTrimTimestamp;
    private bool _trimmedOnce;

    public StreamQueue(IRedisClient redis, StreamQueueOptions options, TimeProvider? timeProvider = null, ILogger<StreamQueue>? logger = null)
    {
        _redis = redis;
        _options = options;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    public string Stream => _options.Stream;
    public string Group => _options.Group;
    public string Consumer => _options.Consumer;
    public StreamQueueOptions Options => _options;

    public async Task EnsureGroupAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await _redis.ExecuteAsync(["XGROUP", "CREATE", Stream, Group, _options.GroupStartId, "MKSTREAM"], cancellationToken);
            RedisLog.GroupCreated(_logger, Stream, Group);
        }
        catch (RedisServerException ex) when (ex.Prefix == "BUSYGROUP")
        {
            // Already there: another process (or an earlier run) created it.
        }
    }

    public async Task<IReadOnlyList<StreamEntry>> ReadAsync(int count, TimeSpan block, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        try
        {
            return await ReadOnceAsync(count, block, cancellationToken);
        }
        catch (RedisServerException ex) when (ex.Prefix == "NOGROUP")
        {
            // The stream or group was deleted (e.g. by an operator): recreate and read again.
            await EnsureGroupAsync(cancellationToken);
            return await ReadOnceAsync(count, block, cancellationToken);
        }
    }

    public async Task<string> HandOffAsync(string entryId, string nextStream, IReadOnlyList<KeyValuePair<string, string>> fields,
        CancellationToken cancellationToken = default) =>
        await TryHandOffAsync(entryId, nextStream, fields, cancellationToken)
        ?? throw new InvalidOperationException(
            $"entry {entryId} of {Stream} is no longer pending for consumer {Consumer} (another consumer reclaimed it); it was not handed off again");

    /// <summary>
    /// Like <see cref="HandOffAsync"/>, but returns null instead of throwing when the entry is no longer ours (another
    /// consumer reclaimed it because we were slower than min-idle without <see cref="RenewAsync"/>). Then nothing happened.
    /// </summary>
    public async Task<string?> TryHandOffAsync(string entryId, string nextStream, IReadOnlyList<KeyValuePair<string, string>> fields,
        CancellationToken cancellationToken = default)
    {
        var arguments = new List<string>(3 + (2 * fields.Count)) { Group, entryId, Consumer };
        foreach (var (key, value) in fields)
        {
            arguments.Add(key);
            arguments.Add(value);
        }

        var reply = await StreamScripts.HandOff.ExecuteAsync(_redis, [Stream, nextStream], arguments, cancellationToken);
        if (reply.IsNull)
        {
            RedisLog.NotOwned(_logger, Stream, entryId, Consumer);
            return null;
        }

        return reply.AsString();
    }

    public async Task<string> DeadLetterAsync(StreamEntry entry, string reason, CancellationToken cancellationToken = default) =>
        await TryDeadLetterAsync(entry, reason, cancellationToken)
        ?? throw new InvalidOperationException($"entry {entry.Id} of {Stream} is no longer pending for consumer {Consumer}; not dead-lettered");

    /// <summary>Dead-letters the entry if it is still ours; null (and nothing done) if another consumer took it over.</summary>
    public async Task<string?> TryDeadLetterAsync(StreamEntry entry, string reason, CancellationToken cancellationToken = default)
    {
        var fields = new List<KeyValuePair<string, string>>(entry.Fields.Count + 3);
        fields.AddRange(entry.Fields.Where(f => f.Key is not (StreamFields.Reason or StreamFields.Source or StreamFields.SourceId)));
        fields.Add(new(StreamFields.Reason, reason));
        fields.Add(new(StreamFields.Source, Stream));
        fields.Add(new(StreamFields.SourceId, entry.Id));
        var deadId = await TryHandOffAsync(entry.Id, _options.DeadStream, fields, cancellationToken);
        if (deadId is not null)
        {
            RedisLog.DeadLettered(_logger, Stream, entry.Id, deadId, reason);
        }

        return deadId;
    }

    public async Task AcknowledgeAsync(string entryId, CancellationToken cancellationToken = default) =>
        await _redis.ExecuteAsync(["XACK", Stream, Group, entryId], cancellationToken);

    public async Task RenewAsync(IReadOnlyCollection<string> entryIds, CancellationToken cancellationToken = default) =>
        await RenewOwnedAsync(entryIds, cancellationToken);

    /// <summary>
    /// XCLAIM to self with min-idle 0 and JUSTID (resets idle time, not the delivery count) for the ids still pending for
    /// this consumer; returns those. An id missing from the result was taken over by another consumer: stop working on it.
    /// </summary>
    public async Task<IReadOnlyList<string>> RenewOwnedAsync(IReadOnlyCollection<string> entryIds, CancellationToken cancellationToken = default)
    {
        if (entryIds.Count == 0)
        {
            return [];
        }

        var reply = await StreamScripts.Renew.ExecuteAsync(_redis, [Stream], [Group, Consumer, .. entryIds], cancellationToken);
        return reply.AsArray().Select(r => r.AsString()!).ToList();
    }

    private async Task<IReadOnlyList<StreamEntry>> ReadOnceAsync(int count, TimeSpan block, CancellationToken cancellationToken)
    {
        var countText = count.ToString(CultureInfo.InvariantCulture);
        if (block <= TimeSpan.Zero)
        {
            // BLOCK 0 would mean "forever" to Redis; no BLOCK means "return at once".
            return StreamReplies.ReadEntries(await _redis.ExecuteAsync(
                ["XREADGROUP", "GROUP", Group, Consumer, "COUNT", countText, "STREAMS", Stream, ">"], cancellationToken));
        }

        var blockMs = ((long)Math.Max(1, block.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture);
        return StreamReplies.ReadEntries(await _redis.ExecuteBlockingAsync(
            ["XREADGROUP", "GROUP", Group, Consumer, "COUNT", countText, "BLOCK", blockMs, "STREAMS", Stream, ">"], block, cancellationToken));
    }
}
