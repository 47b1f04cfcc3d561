using Correctomatic.Shared.Redis.Protocol;

namespace Correctomatic.Shared.Redis.Streams;

/// <summary>Typed views of stream command replies (XRANGE, XREADGROUP, XAUTOCLAIM).</summary>
public static class StreamReplies
{
    /// <summary>An array of <c>[id, [field, value, ...]]</c>; entries deleted meanwhile (null fields) are skipped.</summary>
    public static IReadOnlyList<StreamEntry> Entries(RedisReply reply)
    {
        var items = reply.AsArray();
        var entries = new List<StreamEntry>(items.Count);
        foreach (var item in items)
        {
            if (item.Count < 2 || item[1].IsNull)
            {
                continue;
            }

            var pairs = item[1].AsArray();
            var fields = new Dictionary<string, string>(pairs.Count / 2, StringComparer.Ordinal);
            for (var i = 0; i + 1 < pairs.Count; i += 2)
            {
                fields[pairs[i].AsString()!] = pairs[i + 1].AsString() ?? "";
            }

            entries.Add(new StreamEntry(item[0].AsString()!, fields));
        }

        return entries;
    }

    /// <summary>XREAD/XREADGROUP: <c>[[stream, entries], ...]</c> or null on timeout; the entries of every stream, in order.</summary>
    public static IReadOnlyList<StreamEntry> ReadEntries(RedisReply reply)
    {
        if (reply.IsNull)
        {
            return [];
        }

        var all = new List<StreamEntry>();
        foreach (var stream in reply.AsArray())
        {
            all.AddRange(Entries(stream[1]));
        }

        return all;
    }
}
