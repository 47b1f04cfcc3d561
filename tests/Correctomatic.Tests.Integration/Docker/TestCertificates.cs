using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Correctomatic.Tests.Integration.Docker;

/// <summary>
/// A throwaway CA, an engine (server) certificate for 127.0.0.1 and a client certificate, written as the docker CLI
/// expects them in DOCKER_CERT_PATH: ca.pem, cert.pem, key.pem (Docker docs "Protect the Docker daemon socket").
/// </summary>
public sealed class TestCertificates : IDisposable
{
    private TestCertificates(string directory, X509Certificate2 ca, X509Certificate2 server, X509Certificate2 client)
    {
        Directory = directory;
        Ca = ca;
        Server = server;
        Client = client;
    }

    /// <summary>Holds ca.pem, cert.pem and key.pem (the client's).</summary>
    public string Directory { get; }

    public X509Certificate2 Ca { get; }
    public X509Certificate2 Server { get; }
    public X509Certificate2 Client { get; }

    public static TestCertificates Create()
    {
        var directory = Path.Combine(Path.GetTempPath(), "ct-certs-" + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(directory);
        var now = DateTimeOffset.UtcNow;

        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=correctomatic test CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        var ca = caRequest.CreateSelfSigned(now.AddMinutes(-5), now.AddHours(1));

        var server = Issue(ca, caKey, "CN=127.0.0.1", "1.3.6.1.5.5.7.3.1", now, san: true);
        var client = Issue(ca, caKey, "CN=correctomatic client", "1.3.6.1.5.5.7.3.2", now, san: false);

        File.WriteAllText(Path.Combine(directory, "ca.pem"), ca.ExportCertificatePem());
        File.WriteAllText(Path.Combine(directory, "cert.pem"), client.ExportCertificatePem());
        File.WriteAllText(Path.Combine(directory, "key.pem"), client.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        return new TestCertificates(directory, X509CertificateLoader.LoadCertificate(ca.RawData), server, client);
    }

    public void Dispose()
    {
        Ca.Dispose();
        Server.Dispose();
        Client.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    private static X509Certificate2 Issue(X509Certificate2 ca, ECDsa caKey, string subject, string usageOid, DateTimeOffset now, bool san)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usageOid)], false));
        if (san)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(names.Build());
        }

        var serial = RandomNumberGenerator.GetBytes(12);
        using var issued = request.Create(ca.SubjectName, X509SignatureGenerator.CreateForECDsa(caKey), now.AddMinutes(-5), now.AddHours(1), serial);
        using var withKey = issued.CopyWithPrivateKey(key);
        // Through PKCS#12 so the key is not ephemeral (SslStream needs a persisted key on some platforms).
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }
}
