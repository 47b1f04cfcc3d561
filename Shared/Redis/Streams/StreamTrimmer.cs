using StackExchange.Redis;

namespace Correctomatic.Shared.Redis.Streams;

/// <summary>
/// Trims a stream by a <see cref="StreamRetention"/> without ever removing an entry a consumer group still needs
/// (issue #3). The <c>running</c> stream is read by several groups (one per Docker host, ConsumerGroups.cs), so an entry
/// one group has acknowledged may still be unread by another; hence trimming, never XDEL, and the safe floor below.
/// </summary>
public static class StreamTrimmer
{
    /// <summary>
    /// The lowest id some group still needs: per group, its oldest pending entry (delivered, not acknowledged) or, if
    /// none, the first id after its last-delivered-id (not yet read). Null when the stream has no groups.
    /// Ids only grow and acknowledgements only shrink the pending lists, so the floor can rise but never fall between
    /// computing it and trimming (a group created later, from 0, is the exception this cannot cover).
    /// </summary>
    public static async Task<StreamId?> SafeFloorAsync(IDatabase db, string stream, CancellationToken cancellationToken = default)
    {
        StreamId? floor = null;
        foreach (var group in await db.StreamGroupInfoAsync(stream).WaitAsync(cancellationToken))
        {
            var groupFloor = StreamId.Parse(group.LastDeliveredId!).Next();
            if (group.PendingMessageCount > 0)
            {
                var summary = await db.StreamPendingAsync(stream, group.Name).WaitAsync(cancellationToken);
                if (!summary.LowestPendingMessageId.IsNull)
                {
                    groupFloor = StreamId.Min(groupFloor, StreamId.Parse(summary.LowestPendingMessageId!));
                }
            }

            floor = floor is null ? groupFloor : StreamId.Min(floor.Value, groupFloor);
        }

        return floor;
    }

    /// <summary>Removes what the retention policy allows and no group needs; returns how many entries were removed.</summary>
    public static async Task<long> TrimAsync(IDatabase db, string stream, StreamRetention retention, TimeProvider timeProvider,
        CancellationToken cancellationToken = default)
    {
        if (!await db.KeyExistsAsync(stream).WaitAsync(cancellationToken))
        {
            return 0;
        }

        var cut = StreamId.FromTime(timeProvider.GetUtcNow() - retention.MaxAge);
        var length = await db.StreamLengthAsync(stream).WaitAsync(cancellationToken);
        if (length > retention.MaxLength)
        {
            var nth = await StreamScripts.NthOldestId.EvaluateAsync(db, new StreamScripts.NthArgs(stream, length - retention.MaxLength))
                .WaitAsync(cancellationToken);
            if (!nth.IsNull)
            {
                var lengthCut = StreamId.Parse((string)nth!).Next();
                cut = lengthCut > cut ? lengthCut : cut;
            }
        }

        var floor = await SafeFloorAsync(db, stream, cancellationToken);
        var minId = floor is null ? cut : StreamId.Min(cut, floor.Value);
        if (minId <= StreamId.Zero.Next())
        {
            return 0;
        }

        // Exact MINID (no "~"): removes every entry below minId and none above it.
        return await db.StreamTrimByMinIdAsync(stream, minId.ToString(), useApproximateMaxLength: false).WaitAsync(cancellationToken);
    }
}
