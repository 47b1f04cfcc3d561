using Correctomatic.Shared.Redis.Streams;
using StackExchange.Redis;

namespace Correctomatic.Shared.Redis;

public sealed partial class StreamQueue
{
    public async Task<IReadOnlyList<StreamEntry>> ReclaimAsync(TimeSpan minIdle, int count, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        await TrimIfDueAsync(cancellationToken);

        // XAUTOCLAIM scans the pending list from a cursor; keeping it between calls spreads the scan over calls. The script
        // dead-letters oversized entries before they cross the wire (see StreamScripts.GuardedReclaim).
        RedisResult[] reply;
        try
        {
            var args = new StreamScripts.GuardedReclaimArgs(Stream, _options.DeadStream, Group, Consumer, (long)minIdle.TotalMilliseconds,
                (string)_reclaimCursor!, count, _options.MaxEntryBytes);
            reply = (RedisResult[])(await StreamScripts.GuardedReclaim.EvaluateAsync(Db, args).WaitAsync(cancellationToken))!;
        }
        catch (RedisServerException ex) when (ex.Message.Contains("NOGROUP", StringComparison.Ordinal))
        {
            // Stream or group deleted (e.g. by an operator): nothing can be pending in it; recreate for the next read.
            await EnsureGroupAsync(cancellationToken);
            _reclaimCursor = "0-0";
            return [];
        }

        ReportOversized((long)reply[0]);
        _reclaimCursor = (string)reply[2]!;
        var deleted = ((RedisResult[])reply[3]!).Select(r => (string)r!).ToArray();
        if (deleted.Length > 0)
        {
            RedisLog.DeletedWhilePending(_logger, Stream, string.Join(", ", deleted));
        }

        var claimed = await ParseOrDropAsync((RedisResult[])reply[1]!, cancellationToken);
        if (claimed.Count == 0)
        {
            return claimed;
        }

        // Delivery counts (XAUTOCLAIM increments them, but does not return them): one XPENDING per entry, pipelined.
        var counts = await Task.WhenAll(claimed.Select(e =>
            Db.StreamPendingMessagesAsync(Stream, Group, 1, RedisValue.Null, e.Id, e.Id))).WaitAsync(cancellationToken);
        var live = new List<StreamEntry>(claimed.Count);
        for (var i = 0; i < claimed.Count; i++)
        {
            var deliveries = counts[i].Length > 0 ? counts[i][0].DeliveryCount : 1;
            var entry = claimed[i] with { DeliveryCount = deliveries };
            if (deliveries > _options.MaxDeliveries)
            {
                // Poison: it was delivered MaxDeliveries times and never completed. The original fields go with it.
                await TryDeadLetterAsync(entry,
                    $"delivered {deliveries - 1} times without completing (QUEUE_MAX_DELIVERIES={_options.MaxDeliveries})", cancellationToken);
                continue;
            }

            live.Add(entry);
        }

        if (live.Count > 0)
        {
            RedisLog.Reclaimed(_logger, Stream, live.Count, minIdle, Consumer);
        }

        return live;
    }

    /// <summary>Trims this queue's stream and its dead stream by the retention policy (see <see cref="StreamTrimmer"/>).</summary>
    public async Task<long> TrimAsync(CancellationToken cancellationToken = default)
    {
        var removed = await StreamTrimmer.TrimAsync(Db, Stream, _options.Retention, _timeProvider, cancellationToken);
        var removedDead = await StreamTrimmer.TrimAsync(Db, _options.DeadStream, _options.Retention, _timeProvider, cancellationToken);
        if (removed > 0)
        {
            RedisLog.Trimmed(_logger, Stream, removed);
        }

        if (removedDead > 0)
        {
            RedisLog.Trimmed(_logger, _options.DeadStream, removedDead);
        }

        _lastTrimTimestamp = _timeProvider.GetTimestamp();
        _trimmedOnce = true;
        return removed;
    }

    private async Task TrimIfDueAsync(CancellationToken cancellationToken)
    {
        if (!_trimmedOnce || _timeProvider.GetElapsedTime(_lastTrimTimestamp) >= _options.Retention.TrimInterval)
        {
            await TrimAsync(cancellationToken);
        }
    }
}
