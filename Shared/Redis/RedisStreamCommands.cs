using StackExchange.Redis;

namespace Correctomatic.Shared.Redis;

/// <summary>
/// Typed helpers for producers, the operator CLI and tests, in our own <see cref="StreamEntry"/> terms; anything else is
/// a typed <see cref="IDatabase"/> call. No raw command strings outside Shared/Redis (issue #12).
/// </summary>
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

        var values = fields.Select(f => new NameValueEntry(f.Key, f.Value)).ToArray();
        return (await db.StreamAddAsync(stream, values).WaitAsync(cancellationToken))!;
    }

    public static Task<long> XLenAsync(this IDatabaseAsync db, string stream, CancellationToken cancellationToken = default) =>
        db.StreamLengthAsync(stream).WaitAsync(cancellationToken);

    /// <summary>XRANGE <paramref name="stream"/> start end [COUNT n]; <c>(id</c> for an exclusive start as Redis writes it.</summary>
    public static async Task<IReadOnlyList<StreamEntry>> XRangeAsync(this IDatabaseAsync db, string stream, string start = "-", string end = "+",
        int? count = null, CancellationToken cancellationToken = default)
    {
        var entries = await db.StreamRangeAsync(stream, start, end, count).WaitAsync(cancellationToken);
        return entries.Where(e => !e.IsNull).Select(StreamQueue.ToEntry).ToList();
    }

    /// <summary>XREVRANGE <paramref name="stream"/> + - COUNT <paramref name="count"/>: the newest entries, newest first.</summary>
    public static async Task<IReadOnlyList<StreamEntry>> XRevRangeAsync(this IDatabaseAsync db, string stream, int count,
        CancellationToken cancellationToken = default)
    {
        var entries = await db.StreamRangeAsync(stream, "-", "+", count, Order.Descending).WaitAsync(cancellationToken);
        return entries.Where(e => !e.IsNull).Select(StreamQueue.ToEntry).ToList();
    }

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

        return keys.ToList();
    }
}
