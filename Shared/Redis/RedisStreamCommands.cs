using Correctomatic.Shared.Redis.Protocol;
using Correctomatic.Shared.Redis.Streams;

namespace Correctomatic.Shared.Redis;

/// <summary>Typed stream commands for producers and the operator CLI; anything else goes through <see cref="IRedisClient.ExecuteAsync"/>.</summary>
public static class RedisStreamCommands
{
    /// <summary>XADD <paramref name="stream"/> * field value ...; returns the new entry's id.</summary>
    public static async Task<string> XAddAsync(this IRedisClient redis, string stream, IReadOnlyList<KeyValuePair<string, string>> fields,
        CancellationToken cancellationToken = default)
    {
        var reply = await redis.ExecuteAsync(XAddArguments(stream, fields), cancellationToken);
        return reply.AsString()!;
    }

    public static async Task<long> XLenAsync(this IRedisClient redis, string stream, CancellationToken cancellationToken = default) =>
        (await redis.ExecuteAsync(["XLEN", stream], cancellationToken)).AsInt64();

    /// <summary>XRANGE <paramref name="stream"/> start end [COUNT n].</summary>
    public static async Task<IReadOnlyList<StreamEntry>> XRangeAsync(this IRedisClient redis, string stream, string start = "-", string end = "+",
        int? count = null, CancellationToken cancellationToken = default)
    {
        string[] args = count is null
            ? ["XRANGE", stream, start, end]
            : ["XRANGE", stream, start, end, "COUNT", count.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)];
        return StreamReplies.Entries(await redis.ExecuteAsync(args, cancellationToken));
    }

    public static async Task<string> PingAsync(this IRedisClient redis, CancellationToken cancellationToken = default) =>
        (await redis.ExecuteAsync(["PING"], cancellationToken)).AsString()!;

    /// <summary>XINFO GROUPS as one name→value map per group (name, consumers, pending, last-delivered-id, lag ...).</summary>
    public static async Task<IReadOnlyList<IReadOnlyDictionary<string, RedisReply>>> XInfoGroupsAsync(this IRedisClient redis, string stream,
        CancellationToken cancellationToken = default)
    {
        var reply = await redis.ExecuteAsync(["XINFO", "GROUPS", stream], cancellationToken);
        return reply.AsArray().Select(g => g.AsMap()).ToList();
    }

    internal static string[] XAddArguments(string stream, IReadOnlyList<KeyValuePair<string, string>> fields)
    {
        if (fields.Count == 0)
        {
            throw new ArgumentException("an entry needs at least one field", nameof(fields));
        }

        var args = new string[3 + (2 * fields.Count)];
        args[0] = "XADD";
        args[1] = stream;
        args[2] = "*";
        for (var i = 0; i < fields.Count; i++)
        {
            args[3 + (2 * i)] = fields[i].Key;
            args[4 + (2 * i)] = fields[i].Value;
        }

        return args;
    }
}
