using Correctomatic.Notifier.Addressing;

namespace Correctomatic.Notifier.Delivery;

/// <summary>
/// The one HttpClient of the notifier: connects only through <see cref="GuardedConnector"/>, follows no redirect,
/// uses no proxy (a proxy would connect for us, past the address check), and recycles pooled connections so DNS
/// changes are seen (each new connection is checked again).
/// </summary>
public static class CallbackHttpClientFactory
{
    public static HttpClient Create(CallbackAddressPolicy policy, int maxConnectionsPerServer)
    {
        var connector = new GuardedConnector(policy);
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            ConnectCallback = connector.ConnectAsync,
            ConnectTimeout = TimeSpan.FromSeconds(10),
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            MaxConnectionsPerServer = maxConnectionsPerServer,
            AutomaticDecompression = System.Net.DecompressionMethods.None,
        };
        // Per-attempt timeouts come from CallbackSender (on the injected clock), not from HttpClient.Timeout.
        return new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
    }
}
