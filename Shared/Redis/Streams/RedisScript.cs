using System.Security.Cryptography;
using System.Text;

namespace Correctomatic.Shared.Redis.Streams;

/// <summary>A Lua script run with EVALSHA, falling back to EVAL (which also caches it) when the server has not seen it (NOSCRIPT).</summary>
public sealed class RedisScript(string text)
{
#pragma warning disable CA5350 // Redis names scripts by their SHA-1 (EVALSHA); this is an identifier, not security.
    public string Sha1 { get; } = Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(text)));
#pragma warning restore CA5350

    public string Text => text;

    public async Task<Protocol.RedisReply> ExecuteAsync(IRedisClient redis, IReadOnlyList<string> keys, IReadOnlyList<string> arguments,
        CancellationToken cancellationToken = default)
    {
        try
        {
            return await redis.ExecuteAsync(Build("EVALSHA", Sha1, keys, arguments), cancellationToken);
        }
        catch (RedisServerException ex) when (ex.Prefix == "NOSCRIPT")
        {
            return await redis.ExecuteAsync(Build("EVAL", text, keys, arguments), cancellationToken);
        }
    }

    private static string[] Build(string command, string script, IReadOnlyList<string> keys, IReadOnlyList<string> arguments)
    {
        var args = new string[3 + keys.Count + arguments.Count];
        args[0] = command;
        args[1] = script;
        args[2] = keys.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        for (var i = 0; i < keys.Count; i++)
        {
            args[3 + i] = keys[i];
        }

        for (var i = 0; i < arguments.Count; i++)
        {
            args[3 + keys.Count + i] = arguments[i];
        }

        return args;
    }
}
