using Correctomatic.Shared.Configuration;

namespace Correctomatic.Shared.Redis;

/// <summary>How the client connects and how long it waits (issue #3). Read from the environment with <see cref="Read"/>.</summary>
public sealed record RedisClientOptions
{
    public required RedisEndpoint Endpoint { get; init; }

    /// <summary>CLIENT SETNAME on every connection (blocking ones get a suffix); no spaces. Shows in CLIENT LIST.</summary>
    public string ClientName { get; init; } = DefaultClientName("correctomatic");

    /// <summary>TCP/unix connect, TLS handshake and login (AUTH, SELECT, SETNAME), together.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest wait for a reply; a blocking command gets its BLOCK time on top. A connection that does not answer in time is closed.</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a command waits for the connection to come back (retried with backoff) before failing.</summary>
    public TimeSpan ReconnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Largest bulk string accepted from the server; a bigger one is a protocol violation.</summary>
    public long MaxBulkBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>PEM file of the CA that signed the server's certificate (rediss:// only); null trusts the system store.</summary>
    public string? TlsCaFile { get; init; }

    public static RedisClientOptions Read(SettingsReader reader, string clientName)
    {
        var url = reader.String("REDIS_URL", CommonSettings.DefaultRedisUrl);
        if (!RedisEndpoint.TryParse(url, out var endpoint, out var error))
        {
            reader.AddError(error);
            endpoint = RedisEndpoint.Parse(CommonSettings.DefaultRedisUrl);
        }

        var caFile = reader.OptionalString("REDIS_TLS_CA_FILE");
        if (caFile is not null && !File.Exists(caFile))
        {
            reader.AddError($"REDIS_TLS_CA_FILE='{caFile}' does not exist");
        }

        return new RedisClientOptions
        {
            Endpoint = endpoint,
            ClientName = DefaultClientName(clientName),
            ConnectTimeout = reader.Duration("REDIS_CONNECT_TIMEOUT", TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(5)),
            CommandTimeout = reader.Duration("REDIS_COMMAND_TIMEOUT", TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(10)),
            ReconnectTimeout = reader.Duration("REDIS_RECONNECT_TIMEOUT", TimeSpan.FromSeconds(10), TimeSpan.Zero, TimeSpan.FromHours(1)),
            MaxBulkBytes = reader.Long("REDIS_MAX_BULK_BYTES", 64L * 1024 * 1024, 1024, 512L * 1024 * 1024),
            TlsCaFile = caFile,
        };
    }

    /// <summary><c>{prefix}-{host}-{pid}</c>: unique per process, readable in CLIENT LIST.</summary>
    public static string DefaultClientName(string prefix) =>
        string.Concat($"{prefix}-{Environment.MachineName}-{Environment.ProcessId}".Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or ':' or '.' ? c : '_'));
}
