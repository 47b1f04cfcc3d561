using System.Net.Security;
using System.Net.Sockets;
using Correctomatic.Shared.Configuration;
using Docker.DotNet;
using Docker.DotNet.NativeHttp;
using Docker.DotNet.X509;

namespace Correctomatic.Shared.Docker;

/// <summary>
/// Builds the library client on its native transport (SocketsHttpHandler), for tcp and, through a ConnectCallback, for the
/// unix socket too. Not the library's Unix transport: it opens a connection per request, and when the engine answers an
/// error before reading a request body (PUT archive to a missing container) it fails writing that body (broken pipe) and
/// loses the answer; SocketsHttpHandler keeps the answer, pools connections and honours a connect timeout.
/// </summary>
internal static class DockerEngineBuilder
{
    public static global::Docker.DotNet.DockerClient Build(DockerEndpoint endpoint, DockerClientOptions options, Version? apiVersion)
    {
        var builder = new DockerClientBuilder().WithApiVersion(apiVersion).WithTimeout(options.RequestTimeout).WithLogger(options.Logger)
            .WithEndpoint(new Uri(endpoint.SocketPath is null ? $"tcp://{endpoint.Host}:{endpoint.Port}" : "http://docker"));
        if (endpoint.SocketPath is null && options.TlsVerify)
        {
            builder.WithAuthProvider(Credentials(options.CertPath ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".docker")));
        }

        return builder.WithTransportOptions(new NativeHttpTransportOptions { ConfigureHandler = h => Configure(h, endpoint.SocketPath, options) }).Build();
    }

    private static void Configure(SocketsHttpHandler handler, string? socketPath, DockerClientOptions options)
    {
        handler.ConnectTimeout = options.ConnectTimeout;
        handler.UseProxy = false; // the engine is not on the web
        // Waits and event streams hold a connection each for as long as they last; the library's cap of 10 would queue the rest behind them.
        handler.MaxConnectionsPerServer = int.MaxValue;
        // Logs stopped at the cap leave the rest unread; closing that connection beats draining megabytes of it.
        handler.MaxResponseDrainSize = 64 * 1024;
        if (socketPath is not null)
        {
            handler.ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            };
        }
    }

    /// <summary>
    /// Docker.DotNet.Enhanced.X509, as the docker CLI with DOCKER_TLS_VERIFY: present cert.pem/key.pem, and accept the
    /// engine only when its certificate chains to ca.pem and names the host (the library's CA callback checks the chain alone).
    /// </summary>
    private static CertificateCredentials Credentials(string certPath)
    {
        var client = DockerTlsCertificates.LoadCertificateFromPemFiles(Path.Combine(certPath, "cert.pem"), Path.Combine(certPath, "key.pem"));
        var chainsToCa = DockerTlsCertificates.CreateCertificateAuthorityValidationCallback(
            DockerTlsCertificates.LoadCertificateAuthorityFromPemFile(Path.Combine(certPath, "ca.pem")));
        const SslPolicyErrors Refused = SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable;
        return new CertificateCredentials(client)
        {
            ServerCertificateValidationCallback = (sender, certificate, chain, errors) => (errors & Refused) == 0 && chainsToCa(sender, certificate, chain, errors),
        };
    }
}
