using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace Correctomatic.Tests.Integration.Docker;

/// <summary>
/// The real engine behind TLS on a loopback port, as a dockerd started with --tlsverify would be: the server
/// presents its certificate and requires a client certificate issued by the same CA. Forwards to the unix socket.
/// </summary>
public sealed class TlsEngineProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string _engineSocket;
    private readonly TestCertificates _certificates;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;

    public TlsEngineProxy(string engineSocket, TestCertificates certificates)
    {
        _engineSocket = engineSocket;
        _certificates = certificates;
        _listener.Start();
        _acceptLoop = AcceptLoopAsync();
    }

    public string DockerHost => $"tcp://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>Thumbprints of the client certificates the handshakes accepted.</summary>
    public IReadOnlyCollection<string> ClientCertificates => [.. _clients];

    private readonly System.Collections.Concurrent.ConcurrentBag<string> _clients = [];

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _acceptLoop;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopping the listener ends the loop.
        }

        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var tcp = await _listener.AcceptTcpClientAsync(_stop.Token);
            _ = ServeAsync(tcp);
        }
    }

    private async Task ServeAsync(TcpClient tcp)
    {
        using (tcp)
        await using (var tls = new SslStream(tcp.GetStream(), false, ValidateClient))
        {
            try
            {
                await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
                {
                    ServerCertificate = _certificates.Server,
                    ClientCertificateRequired = true,
                }, _stop.Token);
                if (tls.RemoteCertificate is { } client)
                {
                    _clients.Add(client.GetCertHashString());
                }

                using var upstream = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await upstream.ConnectAsync(new UnixDomainSocketEndPoint(_engineSocket), _stop.Token);
                await using var engine = new NetworkStream(upstream, ownsSocket: false);
                var up = tls.CopyToAsync(engine, _stop.Token);
                var down = engine.CopyToAsync(tls, _stop.Token);
                await Task.WhenAny(up, down);
            }
            catch (Exception ex) when (ex is IOException or System.Security.Authentication.AuthenticationException or OperationCanceledException or SocketException)
            {
                // A refused handshake or a closed connection ends this one; the test looks at what the client saw.
            }
        }
    }

    private bool ValidateClient(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null)
        {
            return false;
        }

        using var verify = new X509Chain();
        verify.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        verify.ChainPolicy.CustomTrustStore.Add(_certificates.Ca);
        verify.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var presented = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return verify.Build(presented);
    }
}
