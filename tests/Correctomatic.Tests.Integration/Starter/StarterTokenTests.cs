using System.Security.Cryptography;
using System.Text;
using Correctomatic.Shared.Redis;
using Correctomatic.Shared.Signing;

namespace Correctomatic.Tests.Integration.Starter;

/// <summary>REQUIRE_JOB_TOKEN (issue #5): a job runs only with a JWT bound to its exact data bytes and carrying an expiry.</summary>
public sealed class StarterTokenTests(StarterFixture fixture) : IClassFixture<StarterFixture>
{
    private const string Secret = "integration-secret-0123456789abcdef";
    private const string Data = """{"image":"correctomatic/grader-shell","callback":"http://a.local/cb","file_content":"c2xlZXAgMzA="}""";

    private Task<StarterHarness> CreateHarnessAsync(Dictionary<string, string>? extra = null)
    {
        var settings = new Dictionary<string, string> { ["REQUIRE_JOB_TOKEN"] = "true", ["JOB_TOKEN_SECRET"] = Secret };
        foreach (var (k, v) in extra ?? [])
        {
            settings[k] = v;
        }

        return StarterHarness.CreateAsync(fixture, settings);
    }

    private static string Sign(string data, DateTimeOffset now, TimeSpan? lifetime)
    {
        using var key = SigningKey.FromSecret(Secret);
        return BodySigner.Sign(key, Encoding.UTF8.GetBytes(data), now, lifetime);
    }

    [Fact]
    public async Task Worker_ValidHs256Token_Running()
    {
        await using var harness = await CreateHarnessAsync();
        await harness.StartWorkerAsync();

        await harness.PushAsync(Data, Sign(Data, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)));

        Assert.Single(await harness.WaitForAsync(harness.Streams.Running));
        Assert.Equal(0, await harness.Redis.XLenAsync(harness.Streams.Finished));
    }

    [Fact]
    public async Task Worker_ValidEs256TokenWithPublicKeyFile_Running()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var keyFile = Path.Combine(fixture.SubmissionsDir, "job-token-public.pem");
        await File.WriteAllTextAsync(keyFile, ecdsa.ExportSubjectPublicKeyInfoPem());
        using var privateKey = SigningKey.FromPrivateKeyPem(ecdsa.ExportPkcs8PrivateKeyPem());
        await using var harness = await StarterHarness.CreateAsync(fixture,
            new Dictionary<string, string> { ["REQUIRE_JOB_TOKEN"] = "true", ["JOB_TOKEN_KEY_FILE"] = keyFile });
        await harness.StartWorkerAsync();

        await harness.PushAsync(Data, BodySigner.Sign(privateKey, Encoding.UTF8.GetBytes(Data), DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)));

        Assert.Single(await harness.WaitForAsync(harness.Streams.Running));
    }

    [Fact]
    public async Task Worker_MissingToken_Rejected()
    {
        await using var harness = await CreateHarnessAsync();
        await harness.StartWorkerAsync();

        var jobId = await harness.PushAsync(Data);

        await StarterPipelineTests.AssertRejectedAsync(harness, jobId, "job token refused: no token");
    }

    [Fact]
    public async Task Worker_ExpiredToken_Rejected()
    {
        await using var harness = await CreateHarnessAsync();
        await harness.StartWorkerAsync();

        var jobId = await harness.PushAsync(Data, Sign(Data, DateTimeOffset.UtcNow - TimeSpan.FromHours(1), TimeSpan.FromMinutes(5)));

        await StarterPipelineTests.AssertRejectedAsync(harness, jobId, "token expired");
    }

    [Fact]
    public async Task Worker_TokenOfOtherData_Rejected()
    {
        await using var harness = await CreateHarnessAsync();
        await harness.StartWorkerAsync();
        var tampered = Data.Replace("grader-shell", "busybox", StringComparison.Ordinal);

        var jobId = await harness.PushAsync(tampered, Sign(Data, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)));

        await StarterPipelineTests.AssertRejectedAsync(harness, jobId, "sha256 differs");
    }

    [Fact]
    public async Task Worker_TamperedSignature_Rejected()
    {
        await using var harness = await CreateHarnessAsync();
        await harness.StartWorkerAsync();
        var token = Sign(Data, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5));
        var flipped = token[..^2] + (token[^2] == 'A' ? 'B' : 'A') + token[^1];

        var jobId = await harness.PushAsync(Data, flipped);

        await StarterPipelineTests.AssertRejectedAsync(harness, jobId, "invalid token");
    }

    [Fact]
    public async Task Worker_TokenWithoutExpiry_Rejected()
    {
        await using var harness = await CreateHarnessAsync();
        await harness.StartWorkerAsync();

        var jobId = await harness.PushAsync(Data, Sign(Data, DateTimeOffset.UtcNow, lifetime: null));

        await StarterPipelineTests.AssertRejectedAsync(harness, jobId, "no expiry");
    }

    [Fact]
    public async Task Worker_TokenSignedWithOtherSecret_Rejected()
    {
        await using var harness = await CreateHarnessAsync();
        await harness.StartWorkerAsync();
        using var otherKey = SigningKey.FromSecret("another-secret-0123456789abcdef-xyz");

        var jobId = await harness.PushAsync(Data, BodySigner.Sign(otherKey, Encoding.UTF8.GetBytes(Data), DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)));

        await StarterPipelineTests.AssertRejectedAsync(harness, jobId, "invalid token");
    }
}
