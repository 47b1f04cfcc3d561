using Correctomatic.Shared.Redis;
using StackExchange.Redis;

namespace Correctomatic.Tests.Integration.Infrastructure;

/// <summary>
/// The tests' side of Redis: connections made the way the services make them, and raw commands for checks (tests may
/// say exactly what they look at; stage and CLI code may not). Replies are the library's <see cref="RedisResult"/>.
/// </summary>
public static class TestRedis
{
    public static RedisConnections Connect(string url, string name = "test") => new(RedisClientOptions.FromUrl(url, name));

    public static Task<string> XAddAsync(this RedisConnections redis, string stream, IReadOnlyList<KeyValuePair<string, string>> fields) =>
        redis.Database.XAddAsync(stream, fields);

    public static Task<long> XLenAsync(this RedisConnections redis, string stream) => redis.Database.XLenAsync(stream);

    public static Task<IReadOnlyList<Correctomatic.Shared.Redis.StreamEntry>> XRangeAsync(this RedisConnections redis, string stream, string start = "-",
        string end = "+", int? count = null) => redis.Database.XRangeAsync(stream, start, end, count);

    /// <summary>Any command, e.g. <c>ExecuteAsync("XPENDING", stream, group)</c>.</summary>
    public static Task<RedisResult> ExecuteAsync(this RedisConnections redis, params string[] command) =>
        redis.Database.ExecuteAsync(command[0], command[1..]);

    public static long AsInt64(this RedisResult result) => (long)result;

    public static string? AsString(this RedisResult result) => (string?)result;

    public static RedisResult[] AsArray(this RedisResult result) => (RedisResult[])result!;
}
