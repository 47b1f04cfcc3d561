using Correctomatic.Shared.Configuration;
using StackExchange.Redis;

namespace Correctomatic.Shared.Redis;

/// <summary>How the services reach Redis (issue #12); read from the environment by <see cref="RedisSettings.Read"/>.</summary>
public sealed record RedisClientOptions
{
    public required RedisEndpoint Endpoint { get; init; }

    /// <summary>CLIENT SETNAME of every connection (dedicated ones get a suffix): <c>{prefix}-{host}-{pid}</c>, unique per process.</summary>
    public string ClientName { get; init; } = DefaultClientName("correctomatic");

    /// <summary>TCP/unix connect, TLS handshake and login, together.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest wait for a reply (the library's sync and async timeout); a blocking read gets its BLOCK time on top.</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>PEM file of the CA that signed the server's certificate (rediss:// only); null trusts the system store.</summary>
    public string? TlsCaFile { get; init; }

    /// <summary>Replicas that must have a hand-off (WAIT) before the stage takes its next, irreversible step; 0 = do not wait.</summary>
    public int WaitReplicas { get; init; }

    public TimeSpan WaitTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Where the library logs (connects, failures, reconnects); null logs nowhere. Set by <c>AddRedis</c>.</summary>
    public Microsoft.Extensions.Logging.ILoggerFactory? LoggerFactory { get; init; }

    public static RedisClientOptions FromUrl(string url, string clientName = "correctomatic") =>
        new() { Endpoint = RedisEndpoint.Parse(url), ClientName = DefaultClientName(clientName) };

    /// <summary>
    /// The library's options (its endpoint syntax for a unix socket is <c>!/path</c>). Not aborting on a failed first
    /// connect: a service started before Redis keeps retrying, its commands waiting in the library's backlog.
    /// </summary>
    public ConfigurationOptions ToConfigurationOptions(string nameSuffix = "", TimeSpan extraTimeout = default)
    {
        var (e, unix) = (Endpoint, Endpoint.Scheme == "unix");
        var options = new ConfigurationOptions
        {
            User = e.User, Password = e.Password, DefaultDatabase = e.Database, ServiceName = e.ServiceName, Ssl = e.IsTls,
            SslHost = e.IsTls ? e.Hosts[0][..e.Hosts[0].LastIndexOf(':')].Trim('[', ']') : null,
            ClientName = ClientName + nameSuffix, AbortOnConnectFail = false, ConnectTimeout = (int)ConnectTimeout.TotalMilliseconds,
            SyncTimeout = (int)(CommandTimeout + extraTimeout).TotalMilliseconds, AsyncTimeout = (int)(CommandTimeout + extraTimeout).TotalMilliseconds,
            LoggerFactory = LoggerFactory,
        };
        foreach (var host in e.Hosts)
        {
            options.EndPoints.Add(unix ? "!" + host : host);
        }

        if (TlsCaFile is not null)
        {
            options.TrustIssuer(TlsCaFile);
        }

        return options;
    }

    internal static string DefaultClientName(string prefix) =>
        string.Concat($"{prefix}-{Environment.MachineName}-{Environment.ProcessId}".Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or ':' or '.' ? c : '_'));
}
