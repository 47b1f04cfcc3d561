using Correctomatic.Shared.Contracts;
using StackExchange.Redis;

namespace Correctomatic.Shared.Redis;

public sealed partial class StreamQueue
{
    private RedisValue _reclaimCursor = "0-0";
    private long? _lastTrimTimestamp;

    public async Task<IReadOnlyList<StreamEntry>> ReclaimAsync(TimeSpan minIdle, int count, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        if (_lastTrimTimestamp is not { } last || _timeProvider.GetElapsedTime(last) >= options.Retention.TrimInterval)
        {
            await TrimAsync(cancellationToken);
        }

        // XAUTOCLAIM scans the pending list from a cursor; keeping it between calls spreads the scan over them.
        RedisResult[] reply;
        try
        {
            var args = new
            {
                stream = (RedisKey)Stream, dead = (RedisKey)options.DeadStream, group = Group, consumer = Consumer,
                minIdle = (long)minIdle.TotalMilliseconds, cursor = (string)_reclaimCursor!, count, max = options.MaxEntryBytes,
            };
            reply = (RedisResult[])(await StreamScripts.GuardedReclaim.EvaluateAsync(Db, args).WaitAsync(cancellationToken))!;
        }
        catch (RedisServerException ex) when (ex.Message.Contains("NOGROUP", StringComparison.Ordinal))
        {
            // Stream or group deleted (e.g. by an operator): nothing can be pending in it; recreate for the next read.
            await EnsureGroupAsync(cancellationToken);
            _reclaimCursor = "0-0";
            return [];
        }

        _reclaimCursor = (string)reply[2]!;
        if (((RedisResult[])reply[3]!).Select(r => (string)r!).ToArray() is { Length: > 0 } deleted)
        {
            RedisLog.DeletedWhilePending(_logger, Stream, string.Join(", ", deleted));
        }

        var claimed = await ParseOrDropAsync(reply, cancellationToken);
        // XAUTOCLAIM increments the delivery counts but does not return them: one XPENDING per entry, pipelined.
        var counts = await Task.WhenAll(claimed.Select(e => Db.StreamPendingMessagesAsync(Stream, Group, 1, RedisValue.Null, e.Id, e.Id)))
            .WaitAsync(cancellationToken);
        var live = new List<StreamEntry>(claimed.Count);
        for (var i = 0; i < claimed.Count; i++)
        {
            var entry = claimed[i] with { DeliveryCount = counts[i].Length > 0 ? counts[i][0].DeliveryCount : 1 };
            if (entry.DeliveryCount <= options.MaxDeliveries)
            {
                live.Add(entry);
                continue;
            }

            // Poison: delivered MaxDeliveries times and never completed.
            await TryDeadLetterAsync(entry,
                $"delivered {entry.DeliveryCount - 1} times without completing (QUEUE_MAX_DELIVERIES={options.MaxDeliveries})", cancellationToken);
        }

        if (live.Count > 0)
        {
            RedisLog.Reclaimed(_logger, Stream, live.Count, minIdle, Consumer);
        }

        return live;
    }

    /// <summary>Trims the stream and the dead stream by <see cref="StreamQueueOptions.Retention"/>; returns how many entries left the stream.</summary>
    public async Task<long> TrimAsync(CancellationToken cancellationToken = default)
    {
        var removed = await TrimAsync(Stream, cancellationToken);
        await TrimAsync(options.DeadStream, cancellationToken);
        _lastTrimTimestamp = _timeProvider.GetTimestamp();
        return removed;
    }

    /// <summary>
    /// Removes the entries older than MaxAge or beyond the newest MaxLength, but none that some group still needs (issue #3):
    /// below the floor of every group, its oldest pending entry or else the first id after its last-delivered id. The
    /// running stream is read by one group per Docker host, so an entry one group acknowledged may be unread by another:
    /// hence trimming, never XDEL. Ids only grow and the pending lists only shrink, so the floor cannot fall between
    /// computing it and trimming (a group created later, from 0, is the one case this cannot cover).
    /// </summary>
    private async Task<long> TrimAsync(string stream, CancellationToken cancellationToken)
    {
        if (!await Db.KeyExistsAsync(stream).WaitAsync(cancellationToken))
        {
            return 0;
        }

        var cut = StreamId.FromTime(_timeProvider.GetUtcNow() - options.Retention.MaxAge);
        var length = await Db.StreamLengthAsync(stream).WaitAsync(cancellationToken);
        if (length > options.Retention.MaxLength)
        {
            var nth = await StreamScripts.NthOldestId.EvaluateAsync(Db, new { stream = (RedisKey)stream, n = length - options.Retention.MaxLength })
                .WaitAsync(cancellationToken);
            if (!nth.IsNull && StreamId.Parse((string)nth!).Next() is var byLength && byLength > cut)
            {
                cut = byLength;
            }
        }

        foreach (var group in await Db.StreamGroupInfoAsync(stream).WaitAsync(cancellationToken))
        {
            cut = StreamId.Min(cut, StreamId.Parse(group.LastDeliveredId!).Next());
            if (group.PendingMessageCount > 0
                && (await Db.StreamPendingAsync(stream, group.Name).WaitAsync(cancellationToken)).LowestPendingMessageId is { IsNull: false } lowest)
            {
                cut = StreamId.Min(cut, StreamId.Parse(lowest!));
            }
        }

        if (cut <= StreamId.Zero.Next())
        {
            return 0;
        }

        // Exact MINID (no "~"): removes every entry below the cut and none above it.
        var removed = await Db.StreamTrimByMinIdAsync(stream, cut.ToString(), useApproximateMaxLength: false).WaitAsync(cancellationToken);
        if (removed > 0)
        {
            RedisLog.Trimmed(_logger, stream, removed);
        }

        return removed;
    }
}
