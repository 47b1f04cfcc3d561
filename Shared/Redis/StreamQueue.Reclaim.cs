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
        var trimmer = new StreamTrimmer(Db, options.Retention, _timeProvider, _logger);
        var removed = await trimmer.TrimAsync(Stream, cancellationToken);
        await trimmer.TrimAsync(options.DeadStream, cancellationToken);
        _lastTrimTimestamp = _timeProvider.GetTimestamp();
        return removed;
    }
}
