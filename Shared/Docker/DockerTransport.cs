using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace Correctomatic.Shared.Docker;

/// <summary>
/// The HTTP layer under the client: one pooled SocketsHttpHandler whose connections go to the unix socket
/// (ConnectCallback) or to TCP, with TLS client certificates from DOCKER_CERT_PATH when DOCKER_TLS_VERIFY is set.
/// </summary>
internal static class DockerTransport
{
    public static (HttpMessageHandler Handler, Uri BaseAddress) Create(DockerEndpoint endpoint, DockerClientOptions options)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = options.ConnectTimeout,
            // Logs stopped at the cap leave the rest unread; closing that connection beats draining megabytes of it.
            MaxResponseDrainSize = 64 * 1024,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            UseProxy = false,
            AutomaticDecompression = System.Net.DecompressionMethods.None,
        };

        if (endpoint.SocketPath is { } path)
        {
            handler.ConnectCallback = async (_, ct) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            };

            // The host name is only the Host header; the engine ignores it (the docker CLI sends "docker" too).
            return (handler, new Uri("http://docker/"));
        }

        if (!options.TlsVerify)
        {
            return (handler, new Uri($"http://{endpoint.Host}:{endpoint.Port}/"));
        }

        var certPath = options.CertPath ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".docker");
        var ca = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(certPath, "ca.pem"));
        var client = X509Certificate2.CreateFromPemFile(Path.Combine(certPath, "cert.pem"), Path.Combine(certPath, "key.pem"));
        handler.SslOptions = new SslClientAuthenticationOptions
        {
            ClientCertificates = [client],
            // As the CLI with DOCKER_TLS_VERIFY: the engine's certificate must chain to ca.pem and name the host.
            RemoteCertificateValidationCallback = (_, certificate, _, errors) => Verify(certificate, errors, ca),
        };
        return (handler, new Uri($"https://{endpoint.Host}:{endpoint.Port}/"));
    }

    private static bool Verify(X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2 ca)
    {
        if (certificate is null || (errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var serverCertificate = new X509Certificate2(certificate);
        return chain.Build(serverCertificate);
    }
}
