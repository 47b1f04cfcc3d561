using StackExchange.Redis;

namespace Correctomatic.Shared.Redis;

/// <summary>Typed helpers for producers, the operator CLI and tests, in <see cref="StreamEntry"/> terms, so no raw command strings appear outside Shared/Redis (issue #12).</summary>
public static class RedisStreamCommands
{
    /// <summary>XADD <paramref name="stream"/> * field value ...; returns the new entry's id.</summary>
    public static async Task<string> XAddAsync(this IDatabaseAsync db, string stream, IReadOnlyList<KeyValuePair<string, string>> fields,
        CancellationToken cancellationToken = default)
    {
        if (fields.Count == 0)
        {
            throw new ArgumentException("an entry needs at least one field", nameof(fields));
        }

        return (await db.StreamAddAsync(stream, [.. fields.Select(f => new NameValueEntry(f.Key, f.Value))]).WaitAsync(cancellationToken))!;
    }

    public static Task<long> XLenAsync(this IDatabaseAsync db, string stream, CancellationToken cancellationToken = default) =>
        db.StreamLengthAsync(stream).WaitAsync(cancellationToken);

    /// <summary>XRANGE <paramref name="stream"/> start end [COUNT n]; <c>(id</c> for an exclusive start as Redis writes it.</summary>
    public static Task<IReadOnlyList<StreamEntry>> XRangeAsync(this IDatabaseAsync db, string stream, string start = "-", string end = "+",
        int? count = null, CancellationToken cancellationToken = default) =>
        RangeAsync(db.StreamRangeAsync(stream, start, end, count), cancellationToken);

    /// <summary>The newest <paramref name="count"/> entries, newest first (XREVRANGE + - COUNT n).</summary>
    public static Task<IReadOnlyList<StreamEntry>> XRevRangeAsync(this IDatabaseAsync db, string stream, int count, CancellationToken cancellationToken = default) =>
        RangeAsync(db.StreamRangeAsync(stream, "-", "+", count, Order.Descending), cancellationToken);

    /// <summary>Every key matching <paramref name="pattern"/> (SCAN MATCH, on the primary), sorted.</summary>
    public static async Task<IReadOnlyList<string>> ScanKeysAsync(this IConnectionMultiplexer redis, string pattern, CancellationToken cancellationToken = default)
    {
        // None connected: the first one's SCAN fails with the library's connection error.
        var servers = redis.GetServers();
        var server = servers.FirstOrDefault(s => s.IsConnected && !s.IsReplica) ?? servers[0];
        var keys = new SortedSet<string>(StringComparer.Ordinal);
        await foreach (var key in server.KeysAsync(redis.GetDatabase().Database, pattern, pageSize: 1000).WithCancellation(cancellationToken))
        {
            keys.Add(key!);
        }

        return [.. keys];
    }

    private static async Task<IReadOnlyList<StreamEntry>> RangeAsync(Task<StackExchange.Redis.StreamEntry[]> range, CancellationToken cancellationToken) =>
        [.. (await range.WaitAsync(cancellationToken)).Where(e => !e.IsNull).Select(StreamQueue.ToEntry)];
}
