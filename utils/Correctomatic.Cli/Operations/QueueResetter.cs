using Correctomatic.Shared.Contracts;
using Correctomatic.Shared.Redis;

namespace Correctomatic.Cli.Operations;

/// <summary>
/// Finds and deletes every key under the queue prefix: the four streams (with their consumer groups) and the
/// services' bookkeeping keys. Deleting is a separate step, so the command can show what it would delete and ask first.
/// </summary>
public sealed class QueueResetter(IRedisClient redis, StreamNames streams)
{
    /// <summary>Every key under the prefix (SCAN MATCH prefix*, with glob characters in the prefix escaped).</summary>
    public async Task<IReadOnlyList<string>> FindKeysAsync(CancellationToken cancellationToken = default)
    {
        var pattern = EscapeGlob(streams.Prefix) + "*";
        var keys = new SortedSet<string>(StringComparer.Ordinal);
        var cursor = "0";
        do
        {
            var reply = await redis.ExecuteAsync(["SCAN", cursor, "MATCH", pattern, "COUNT", "1000"], cancellationToken);
            cursor = reply[0].AsString()!;
            foreach (var key in reply[1].AsArray())
            {
                keys.Add(key.AsString()!);
            }
        }
        while (cursor != "0");

        return keys.ToList();
    }

    /// <summary>Deletes the keys; returns how many existed.</summary>
    public async Task<long> DeleteAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken = default) =>
        keys.Count == 0 ? 0 : (await redis.ExecuteAsync(["DEL", .. keys], cancellationToken)).AsInt64();

    private static string EscapeGlob(string text) =>
        string.Concat(text.Select(c => c is '*' or '?' or '[' or ']' or '\\' ? "\\" + c : c.ToString()));
}
