using Correctomatic.Shared.Contracts;
using Correctomatic.Shared.Redis;

namespace Correctomatic.Cli.Operations;

/// <summary>
/// Finds and deletes every key under the queue prefix: the four streams (with their consumer groups) and the
/// services' bookkeeping keys. Deleting is a separate step, so the command can show what it would delete and ask first.
/// </summary>
public sealed class QueueResetter(RedisConnections redis, StreamNames streams)
{
    /// <summary>Every key under the prefix (SCAN MATCH prefix*, with glob characters in the prefix escaped).</summary>
    public Task<IReadOnlyList<string>> FindKeysAsync(CancellationToken cancellationToken = default) =>
        redis.Shared.ScanKeysAsync(EscapeGlob(streams.Prefix) + "*", cancellationToken);

    /// <summary>Deletes the keys; returns how many existed.</summary>
    public async Task<long> DeleteAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken = default) =>
        keys.Count == 0 ? 0 : await redis.Database.KeyDeleteAsync(keys.Select(k => (StackExchange.Redis.RedisKey)k).ToArray()).WaitAsync(cancellationToken);

    private static string EscapeGlob(string text) =>
        string.Concat(text.Select(c => c is '*' or '?' or '[' or ']' or '\\' ? "\\" + c : c.ToString()));
}
