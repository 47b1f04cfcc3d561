using System.Globalization;
using Correctomatic.Shared.Redis.Streams;

namespace Correctomatic.Shared.Redis;

public sealed partial class StreamQueue
{
    public async Task<IReadOnlyList<StreamEntry>> ReclaimAsync(TimeSpan minIdle, int count, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        await TrimIfDueAsync(cancellationToken);

        // XAUTOCLAIM scans the pending list from a cursor; keeping it between calls spreads the scan over calls.
        var minIdleMs = ((long)minIdle.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
        Protocol.RedisReply reply;
        try
        {
            reply = await _redis.ExecuteAsync(
                ["XAUTOCLAIM", Stream, Group, Consumer, minIdleMs, _reclaimCursor, "COUNT", count.ToString(CultureInfo.InvariantCulture)],
                cancellationToken);
        }
        catch (RedisServerException ex) when (ex.Prefix == "NOGROUP")
        {
            // Stream or group deleted (e.g. by an operator): nothing can be pending in it; recreate for the next read.
            await EnsureGroupAsync(cancellationToken);
            _reclaimCursor = "0-0";
            return [];
        }

        _reclaimCursor = reply[0].AsString()!;
        if (reply.Count > 2 && reply[2].Count > 0)
        {
            RedisLog.DeletedWhilePending(_logger, Stream, string.Join(", ", reply[2].AsArray().Select(r => r.AsString())));
        }

        var claimed = StreamReplies.Entries(reply[1]);
        if (claimed.Count == 0)
        {
            return claimed;
        }

        // Delivery counts (XAUTOCLAIM increments them, but does not return them): one XPENDING per entry, pipelined.
        var counts = await Task.WhenAll(claimed.Select(e =>
            _redis.ExecuteAsync(["XPENDING", Stream, Group, e.Id, e.Id, "1"], cancellationToken)));
        var live = new List<StreamEntry>(claimed.Count);
        for (var i = 0; i < claimed.Count; i++)
        {
            var deliveries = counts[i].Count > 0 ? counts[i][0][3].AsInt64() : 1;
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

        RedisLog.Reclaimed(_logger, Stream, live.Count, minIdle, Consumer);
        return live;
    }

    /// <summary>Trims this queue's stream and its dead stream by the retention policy (see <see cref="StreamTrimmer"/>).</summary>
    public async Task<long> TrimAsync(CancellationToken cancellationToken = default)
    {
        var removed = await StreamTrimmer.TrimAsync(_redis, Stream, _options.Retention, _timeProvider, cancellationToken);
        var removedDead = await StreamTrimmer.TrimAsync(_redis, _options.DeadStream, _options.Retention, _timeProvider, cancellationToken);
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
