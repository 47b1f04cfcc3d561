using System.Security.Cryptography;

namespace Correctomatic.Cli.Keys;

/// <summary>
/// Writes an ES256 key pair as PEM: privateKey.pem (PKCS#8, encrypted with AES-256 when a password is given) and
/// publicKey.pem (SubjectPublicKeyInfo): the notifier signs with the first (CALLBACK_SIGNING_KEY_FILE), receivers verify
/// with the second, and no other tool (openssl, a script) is needed to make them.
/// </summary>
public static class KeyPairWriter
{
    public const string PrivateKeyFile = "privateKey.pem";
    public const string PublicKeyFile = "publicKey.pem";

    /// <summary>Writes both files into <paramref name="directory"/>; returns their paths. Refuses to overwrite unless <paramref name="force"/>.</summary>
    public static (string PrivateKeyPath, string PublicKeyPath) Write(string directory, string? password, bool force)
    {
        var privatePath = Path.Combine(directory, PrivateKeyFile);
        var publicPath = Path.Combine(directory, PublicKeyFile);
        if (!force && (File.Exists(privatePath) || File.Exists(publicPath)))
        {
            throw new IOException($"{(File.Exists(privatePath) ? privatePath : publicPath)} exists; pass --force to overwrite it");
        }

        Directory.CreateDirectory(directory);
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var privatePem = string.IsNullOrEmpty(password)
            ? ecdsa.ExportPkcs8PrivateKeyPem()
            : ecdsa.ExportEncryptedPkcs8PrivateKeyPem(password,
                new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, iterationCount: 600_000));

        // The private key is readable by its owner only, from the moment it exists.
        using (var stream = new FileStream(privatePath, new FileStreamOptions
               {
                   Mode = FileMode.Create, Access = FileAccess.Write,
                   UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
               }))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(privatePem);
            writer.Write('\n');
        }

        File.SetUnixFileMode(privatePath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.WriteAllText(publicPath, ecdsa.ExportSubjectPublicKeyInfoPem() + "\n");
        return (privatePath, publicPath);
    }
}
