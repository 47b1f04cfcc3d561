using System.Net.Security;
using Docker.DotNet;
using Docker.DotNet.NativeHttp;
using Docker.DotNet.Unix;
using Docker.DotNet.X509;

namespace Correctomatic.Shared.Docker;

/// <summary>
/// Builds the library client for an endpoint: the unix socket through Docker.DotNet's Unix transport; tcp through its
/// native (SocketsHttpHandler) transport, which pools connections and honours a connect timeout, with client
/// certificates from Docker.DotNet.Enhanced.X509 when DOCKER_TLS_VERIFY is set. No proxy: the engine is not on the web.
/// </summary>
internal static class DockerEngineBuilder
{
    public static global::Docker.DotNet.DockerClient Build(DockerEndpoint endpoint, DockerClientOptions options, Version? apiVersion)
    {
        var builder = new DockerClientBuilder().WithApiVersion(apiVersion).WithTimeout(options.RequestTimeout).WithLogger(options.Logger);
        if (endpoint.SocketPath is { } path)
        {
            return builder.WithEndpoint(new Uri("unix://" + path))
                .WithTransportOptions(new UnixSocketTransportOptions { ConfigureHandler = h => h.UseProxy = false }).Build();
        }

        builder.WithEndpoint(new Uri($"tcp://{endpoint.Host}:{endpoint.Port}"));
        if (options.TlsVerify)
        {
            builder.WithAuthProvider(Credentials(options.CertPath ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".docker")));
        }

        return builder.WithTransportOptions(new NativeHttpTransportOptions
        {
            ConfigureHandler = h => (h.ConnectTimeout, h.UseProxy) = (options.ConnectTimeout, false),
        }).Build();
    }

    /// <summary>
    /// As the docker CLI with DOCKER_TLS_VERIFY: present cert.pem/key.pem, and accept the engine only when its certificate
    /// chains to ca.pem and names the host (the library's CA callback checks the chain alone, so the name check is ours).
    /// </summary>
    private static CertificateCredentials Credentials(string certPath)
    {
        var client = DockerTlsCertificates.LoadCertificateFromPemFiles(Path.Combine(certPath, "cert.pem"), Path.Combine(certPath, "key.pem"));
        var ca = DockerTlsCertificates.LoadCertificateAuthorityFromPemFile(Path.Combine(certPath, "ca.pem"));
        var chainsToCa = DockerTlsCertificates.CreateCertificateAuthorityValidationCallback(ca);
        const SslPolicyErrors Refused = SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable;
        return new CertificateCredentials(client)
        {
            ServerCertificateValidationCallback = (sender, certificate, chain, errors) => (errors & Refused) == 0 && chainsToCa(sender, certificate, chain, errors),
        };
    }
}
