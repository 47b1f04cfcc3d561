using Correctomatic.Shared.Contracts;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Correctomatic.Shared.Redis;

/// <summary>Bounds one stream by its retention (issue #3), for <see cref="StreamQueue.TrimAsync"/>.</summary>
internal sealed class StreamTrimmer(IDatabase db, StreamRetention retention, TimeProvider time, ILogger logger)
{
    /// <summary>
    /// Removes the entries older than MaxAge or beyond the newest MaxLength, but none that some group still needs (issue #3):
    /// below the floor of every group, its oldest pending entry or else the first id after its last-delivered id. The
    /// running stream is read by one group per Docker host, so an entry one group acknowledged may be unread by another:
    /// hence trimming, never XDEL. Ids only grow and the pending lists only shrink, so the floor cannot fall between
    /// computing it and trimming (a group created later, from 0, is the one case this cannot cover).
    /// </summary>
    public async Task<long> TrimAsync(string stream, CancellationToken cancellationToken)
    {
        if (!await db.KeyExistsAsync(stream).WaitAsync(cancellationToken))
        {
            return 0;
        }

        var cut = StreamId.FromTime(time.GetUtcNow() - retention.MaxAge);
        var length = await db.StreamLengthAsync(stream).WaitAsync(cancellationToken);
        if (length > retention.MaxLength)
        {
            var nth = await StreamScripts.NthOldestId.EvaluateAsync(db, new { stream = (RedisKey)stream, n = length - retention.MaxLength })
                .WaitAsync(cancellationToken);
            if (!nth.IsNull && StreamId.Parse((string)nth!).Next() is var byLength && byLength > cut)
            {
                cut = byLength;
            }
        }

        foreach (var group in await db.StreamGroupInfoAsync(stream).WaitAsync(cancellationToken))
        {
            cut = StreamId.Min(cut, StreamId.Parse(group.LastDeliveredId!).Next());
            if (group.PendingMessageCount > 0
                && (await db.StreamPendingAsync(stream, group.Name).WaitAsync(cancellationToken)).LowestPendingMessageId is { IsNull: false } lowest)
            {
                cut = StreamId.Min(cut, StreamId.Parse(lowest!));
            }
        }

        if (cut <= StreamId.Zero.Next())
        {
            return 0;
        }

        // Exact MINID (no "~"): removes every entry below the cut and none above it.
        var removed = await db.StreamTrimByMinIdAsync(stream, cut.ToString(), useApproximateMaxLength: false).WaitAsync(cancellationToken);
        if (removed > 0)
        {
            RedisLog.Trimmed(logger, stream, removed);
        }

        return removed;
    }
}
