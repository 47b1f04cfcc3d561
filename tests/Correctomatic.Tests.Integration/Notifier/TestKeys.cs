using System.Security.Cryptography;
using Correctomatic.Shared.Signing;

namespace Correctomatic.Tests.Integration.Notifier;

/// <summary>A fresh ES256 pair as PEM files, as utils would generate them: the notifier signs with one, a receiver verifies with the other.</summary>
public sealed class TestKeys : IDisposable
{
    public TestKeys()
    {
        Directory = Path.Combine(Path.GetTempPath(), "ct-keys-" + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(Directory);
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        File.WriteAllText(PrivateKeyFile, ecdsa.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(PublicKeyFile, ecdsa.ExportSubjectPublicKeyInfoPem());
        PublicKey = SigningKey.FromPemFile(PublicKeyFile);
    }

    public string Directory { get; }
    public string PrivateKeyFile => Path.Combine(Directory, "privateKey.pem");
    public string PublicKeyFile => Path.Combine(Directory, "publicKey.pem");
    public SigningKey PublicKey { get; }

    public void Dispose()
    {
        PublicKey.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
