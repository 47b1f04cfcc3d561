using System.Globalization;

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
    public static async Task<StreamId?> SafeFloorAsync(IRedisClient redis, string stream, CancellationToken cancellationToken = default)
    {
        StreamId? floor = null;
        foreach (var group in await redis.XInfoGroupsAsync(stream, cancellationToken))
        {
            var groupFloor = StreamId.Parse(group["last-delivered-id"].AsString()!).Next();
            if (group["pending"].AsInt64() > 0)
            {
                var summary = await redis.ExecuteAsync(["XPENDING", stream, group["name"].AsString()!], cancellationToken);
                if (!summary[1].IsNull)
                {
                    groupFloor = StreamId.Min(groupFloor, StreamId.Parse(summary[1].AsString()!));
                }
            }

            floor = floor is null ? groupFloor : StreamId.Min(floor.Value, groupFloor);
        }

        return floor;
    }

    /// <summary>Removes what the retention policy allows and no group needs; returns how many entries were removed.</summary>
    public static async Task<long> TrimAsync(IRedisClient redis, string stream, StreamRetention retention, TimeProvider timeProvider,
        CancellationToken cancellationToken = default)
    {
        if ((await redis.ExecuteAsync(["EXISTS", stream], cancellationToken)).AsInt64() == 0)
        {
            return 0;
        }

        var cut = StreamId.FromTime(timeProvider.GetUtcNow() - retention.MaxAge);
        var length = await redis.XLenAsync(stream, cancellationToken);
        if (length > retention.MaxLength)
        {
            var excess = (length - retention.MaxLength).ToString(CultureInfo.InvariantCulture);
            var nth = await StreamScripts.NthOldestId.ExecuteAsync(redis, [stream], [excess], cancellationToken);
            if (!nth.IsNull)
            {
                var lengthCut = StreamId.Parse(nth.AsString()!).Next();
                cut = lengthCut > cut ? lengthCut : cut;
            }
        }

        var floor = await SafeFloorAsync(redis, stream, cancellationToken);
        var minId = floor is null ? cut : StreamId.Min(cut, floor.Value);
        if (minId <= StreamId.Zero.Next())
        {
            return 0;
        }

        // Exact MINID (no "~"): removes every entry below minId and none above it.
        return (await redis.ExecuteAsync(["XTRIM", stream, "MINID", "=", minId.ToString()], cancellationToken)).AsInt64();
    }
}
