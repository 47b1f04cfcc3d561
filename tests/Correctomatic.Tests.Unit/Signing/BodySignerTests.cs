using System.Security.Cryptography;
using System.Text;
using Correctomatic.Shared.Signing;

namespace Correctomatic.Tests.Unit.Signing;

public sealed class BodySignerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"job_id":"1-0","success":true}""");

    private static (SigningKey Private, SigningKey Public) CreateEs256Pair()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return (SigningKey.FromPrivateKeyPem(ecdsa.ExportPkcs8PrivateKeyPem()), SigningKey.FromPublicKeyPem(ecdsa.ExportSubjectPublicKeyInfoPem()));
    }

    [Fact]
    public async Task VerifyAsync_Es256WithPublicKeyOnly_Succeeds()
    {
        var (signer, verifier) = CreateEs256Pair();
        var token = BodySigner.Sign(signer, Body, Now, claims: new Dictionary<string, object> { ["job_id"] = "1-0" });

        var check = await BodySigner.VerifyAsync(verifier, token, Body, Now, requireExpiry: false);

        Assert.True(check.IsValid, check.Error);
        Assert.Equal("1-0", check.Claims!["job_id"]);
    }

    [Fact]
    public async Task VerifyAsync_OneByteChanged_FailsOnTheHash()
    {
        var (signer, verifier) = CreateEs256Pair();
        var token = BodySigner.Sign(signer, Body, Now);
        var tampered = (byte[])Body.Clone();
        tampered[^2] ^= 1;

        var check = await BodySigner.VerifyAsync(verifier, token, tampered, Now, requireExpiry: false);

        Assert.False(check.IsValid);
        Assert.Contains("sha256", check.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyAsync_OtherKey_FailsOnTheSignature()
    {
        var (signer, _) = CreateEs256Pair();
        var (_, otherPublic) = CreateEs256Pair();

        var check = await BodySigner.VerifyAsync(otherPublic, BodySigner.Sign(signer, Body, Now), Body, Now, requireExpiry: false);

        Assert.False(check.IsValid);
        Assert.StartsWith("invalid token", check.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyAsync_Hs256Expired_IsRejected_AndMissingExpiryWhenRequired()
    {
        using var key = SigningKey.FromSecret(new string('s', 32));
        var expiring = BodySigner.Sign(key, Body, Now, lifetime: TimeSpan.FromMinutes(5));
        var eternal = BodySigner.Sign(key, Body, Now);

        Assert.True((await BodySigner.VerifyAsync(key, expiring, Body, Now.AddMinutes(4), requireExpiry: true)).IsValid);
        Assert.Equal("token expired", (await BodySigner.VerifyAsync(key, expiring, Body, Now.AddMinutes(6), requireExpiry: true)).Error);
        Assert.Equal("token has no expiry (exp)", (await BodySigner.VerifyAsync(key, eternal, Body, Now, requireExpiry: true)).Error);
    }

    [Fact]
    public async Task VerifyAsync_AlgorithmOfAnotherKeyKind_IsRejected()
    {
        using var hmac = SigningKey.FromSecret(new string('s', 32));
        var (_, verifier) = CreateEs256Pair();

        var check = await BodySigner.VerifyAsync(verifier, BodySigner.Sign(hmac, Body, Now), Body, Now, requireExpiry: false);

        Assert.False(check.IsValid);
    }

    [Fact]
    public void FromSecret_TooShort_Throws() =>
        Assert.Throws<ArgumentException>(() => SigningKey.FromSecret("short"));

    [Fact]
    public void FromPrivateKeyPem_EncryptedWithoutPassword_SaysSo()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var pem = ecdsa.ExportEncryptedPkcs8PrivateKeyPem("pw", new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 1000));

        var ex = Assert.Throws<CryptographicException>(() => SigningKey.FromPrivateKeyPem(pem));
        using var key = SigningKey.FromPrivateKeyPem(pem, "pw");

        Assert.Contains("password", ex.Message, StringComparison.Ordinal);
        Assert.True(key.CanSign);
    }
}
