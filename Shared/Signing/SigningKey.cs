using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace Correctomatic.Shared.Signing;

/// <summary>
/// A key for signing or verifying JWTs: ES256 from PEM (private key to sign, public key alone to verify),
/// or HS256 from a shared secret of at least 32 bytes.
/// </summary>
public sealed class SigningKey : IDisposable
{
    public const string Es256 = SecurityAlgorithms.EcdsaSha256;
    public const string Hs256 = SecurityAlgorithms.HmacSha256;
    private const int MinimumSecretBytes = 32;
    private readonly ECDsa? _ecdsa;

    private SigningKey(SecurityKey key, string algorithm, bool canSign, ECDsa? ecdsa)
    {
        Key = key;
        Algorithm = algorithm;
        CanSign = canSign;
        _ecdsa = ecdsa;
    }

    public SecurityKey Key { get; }
    public string Algorithm { get; }
    public bool CanSign { get; }

    /// <summary>An ES256 private key (PKCS#8 or SEC1 PEM; encrypted PKCS#8 with a password).</summary>
    public static SigningKey FromPrivateKeyPem(string pem, string? password = null)
    {
        var ecdsa = ECDsa.Create();
        try
        {
            if (pem.Contains("ENCRYPTED PRIVATE KEY", StringComparison.Ordinal))
            {
                if (string.IsNullOrEmpty(password))
                {
                    throw new CryptographicException("the private key is encrypted and no password was given");
                }

                ecdsa.ImportFromEncryptedPem(pem, password);
            }
            else
            {
                ecdsa.ImportFromPem(pem);
            }

            RequireP256(ecdsa);
            return new SigningKey(new ECDsaSecurityKey(ecdsa), Es256, canSign: true, ecdsa);
        }
        catch
        {
            ecdsa.Dispose();
            throw;
        }
    }

    /// <summary>An ES256 public key (SubjectPublicKeyInfo PEM): verifies, cannot sign.</summary>
    public static SigningKey FromPublicKeyPem(string pem)
    {
        var ecdsa = ECDsa.Create();
        try
        {
            ecdsa.ImportFromPem(pem);
            RequireP256(ecdsa);
            return new SigningKey(new ECDsaSecurityKey(ecdsa), Es256, canSign: false, ecdsa);
        }
        catch
        {
            ecdsa.Dispose();
            throw;
        }
    }

    /// <summary>An HS256 shared secret; signs and verifies.</summary>
    public static SigningKey FromSecret(string secret)
    {
        var bytes = Encoding.UTF8.GetBytes(secret);
        if (bytes.Length < MinimumSecretBytes)
        {
            throw new ArgumentException($"an HS256 secret must be at least {MinimumSecretBytes} bytes", nameof(secret));
        }

        return new SigningKey(new SymmetricSecurityKey(bytes), Hs256, canSign: true, ecdsa: null);
    }

    /// <summary>Loads a key file: a PEM private key (signs and verifies) or a public key (verifies).</summary>
    public static SigningKey FromPemFile(string path, string? password = null)
    {
        var pem = File.ReadAllText(path);
        return pem.Contains("PRIVATE KEY", StringComparison.Ordinal) ? FromPrivateKeyPem(pem, password) : FromPublicKeyPem(pem);
    }

    public void Dispose() => _ecdsa?.Dispose();

    private static void RequireP256(ECDsa ecdsa)
    {
        if (ecdsa.KeySize != 256)
        {
            throw new CryptographicException($"ES256 needs a P-256 key, this one has {ecdsa.KeySize} bits");
        }
    }
}
