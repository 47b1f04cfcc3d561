using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Correctomatic.Shared.Redis.Connection;

/// <summary>Opens the byte stream to the server: TCP, unix socket, or TLS over TCP (rediss://, optional CA file).</summary>
internal static class RedisTransportFactory
{
    public static async Task<(Socket Socket, Stream Stream)> OpenAsync(RedisClientOptions options, CancellationToken cancellationToken)
    {
        var endpoint = options.Endpoint;
        Socket socket;
        if (endpoint.Transport == RedisTransport.Unix)
        {
            socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await ConnectAsync(socket, new UnixDomainSocketEndPoint(endpoint.SocketPath!), cancellationToken);
        }
        else
        {
            socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
            try
            {
                await socket.ConnectAsync(endpoint.Host, endpoint.Port, cancellationToken);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        Stream stream = new NetworkStream(socket, ownsSocket: true);
        if (endpoint.Transport != RedisTransport.Tls)
        {
            return (socket, stream);
        }

        var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
        try
        {
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = endpoint.Host,
                EnabledSslProtocols = SslProtocols.None, // the OS default: TLS 1.2/1.3
                RemoteCertificateValidationCallback = options.TlsCaFile is null ? null : CustomRootValidator(options.TlsCaFile),
            }, cancellationToken);
        }
        catch (AuthenticationException ex)
        {
            await ssl.DisposeAsync();
            throw new RedisConnectionException($"TLS handshake with {endpoint} failed: {ex.Message}"
                + (options.TlsCaFile is null ? " (set REDIS_TLS_CA_FILE to trust a private CA)" : $" (CA file {options.TlsCaFile})"), ex, isTransient: false);
        }
        catch
        {
            await ssl.DisposeAsync();
            throw;
        }

        return (socket, ssl);
    }

    private static async Task ConnectAsync(Socket socket, System.Net.EndPoint endPoint, CancellationToken cancellationToken)
    {
        try
        {
            await socket.ConnectAsync(endPoint, cancellationToken);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Trusts exactly the CA(s) in <paramref name="caFile"/>, still checking the host name and the chain.</summary>
    private static RemoteCertificateValidationCallback CustomRootValidator(string caFile)
    {
        var roots = new X509Certificate2Collection();
        roots.ImportFromPemFile(caFile);
        return (_, certificate, _, errors) =>
        {
            if (certificate is null || (errors & (SslPolicyErrors.RemoteCertificateNotAvailable | SslPolicyErrors.RemoteCertificateNameMismatch)) != 0)
            {
                return false;
            }

            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(roots);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            return chain.Build(certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
        };
    }
}
