using System.Text;
using Correctomatic.Cli.Keys;
using Correctomatic.Shared.Signing;

namespace Correctomatic.Tests.Unit.Cli;

public sealed class KeyPairWriterTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "ct-keys-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Write_NewPair_SignsWithPrivateAndVerifiesWithPublic()
    {
        var (privatePath, publicPath) = KeyPairWriter.Write(_directory, password: null, force: false);
        using var signer = SigningKey.FromPemFile(privatePath);
        using var verifier = SigningKey.FromPemFile(publicPath);
        var body = Encoding.UTF8.GetBytes("{}");

        var check = await BodySigner.VerifyAsync(verifier, BodySigner.Sign(signer, body, DateTimeOffset.UnixEpoch), body, DateTimeOffset.UnixEpoch, false);

        Assert.True(check.IsValid, check.Error);
        Assert.False(verifier.CanSign);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(privatePath));
    }

    [Fact]
    public void Write_ExistingFiles_RefusesWithoutForce_AndOverwritesWithForce()
    {
        KeyPairWriter.Write(_directory, password: null, force: false);
        var before = File.ReadAllText(Path.Combine(_directory, KeyPairWriter.PrivateKeyFile));

        var ex = Assert.Throws<IOException>(() => KeyPairWriter.Write(_directory, password: null, force: false));
        KeyPairWriter.Write(_directory, password: null, force: true);

        Assert.Contains("--force", ex.Message, StringComparison.Ordinal);
        Assert.NotEqual(before, File.ReadAllText(Path.Combine(_directory, KeyPairWriter.PrivateKeyFile)));
    }

    [Fact]
    public void Write_WithPassword_EncryptsThePrivateKey()
    {
        var (privatePath, _) = KeyPairWriter.Write(_directory, password: "correct horse", force: false);

        Assert.Contains("ENCRYPTED PRIVATE KEY", File.ReadAllText(privatePath), StringComparison.Ordinal);
        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() => SigningKey.FromPemFile(privatePath));
        using var key = SigningKey.FromPemFile(privatePath, "correct horse");
        Assert.True(key.CanSign);
    }
}
