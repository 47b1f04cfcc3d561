using System.Net;
using System.Text;
using Correctomatic.Notifier;
using Correctomatic.Notifier.Addressing;
using Correctomatic.Notifier.Delivery;
using Correctomatic.Shared.Configuration;
using Correctomatic.Shared.Contracts;
using Correctomatic.Shared.Signing;

namespace Correctomatic.Tests.Integration.Notifier;

/// <summary>One attempt against a real Kestrel receiver on 127.0.0.1 (issue #7): headers, signature, classification, address policy.</summary>
public sealed class CallbackSenderTests : IAsyncLifetime
{
    private readonly TestKeys _keys = new();
    private CallbackReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await CallbackReceiver.StartAsync();

    public async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        _keys.Dispose();
    }

    private (CallbackSender Sender, IDisposable Owner) CreateSut(string[] allowed, TimeSpan? timeout = null, SigningKey? key = null)
    {
        var settings = new NotifierSettings
        {
            Common = new CommonSettings { RedisUrl = "", DockerHost = "", QueuePrefix = "t:" },
            SigningKeyFile = _keys.PrivateKeyFile,
        };
        key ??= CallbackSigner.LoadKey(settings);
        var http = CallbackHttpClientFactory.Create(new CallbackAddressPolicy(allowed.Select(IPNetwork.Parse).ToList()), 16);
        var sender = new CallbackSender(http, new CallbackSigner(key, TimeProvider.System), TimeProvider.System, timeout ?? TimeSpan.FromSeconds(5));
        return (sender, new Owner(http, key));
    }

    private static CallbackRequest Request(Uri url, string jobId = "1700000000000-0") =>
        new(jobId, "w-1", url, Encoding.UTF8.GetBytes($$"""{"job_id":"{{jobId}}","status":"graded","success":true,"work_id":"w-1"}"""));

    [Fact]
    public async Task SendAsync_Es256_SignatureVerifiesWithThePublicKeyAndFailsForAChangedByte()
    {
        var (sut, owner) = CreateSut(["127.0.0.0/8"]);
        using var _ = owner;
        var request = Request(_receiver.Url("ok"));

        var outcome = await sut.SendAsync(request, 1, CancellationToken.None);

        Assert.Equal(AttemptKind.Delivered, outcome.Kind);
        var got = Assert.Single(await _receiver.WaitForAsync(1, "ok"));
        Assert.Equal("application/json", got.ContentType);
        Assert.Equal(request.JobId, got.IdempotencyKey);
        Assert.Equal(request.Body.ToArray(), got.Body);
        var check = await BodySigner.VerifyAsync(_keys.PublicKey, got.Signature, got.Body, DateTimeOffset.UtcNow, requireExpiry: false);
        Assert.True(check.IsValid, check.Error);
        Assert.Equal(request.JobId, check.Claims![CallbackHeaders.JobIdClaim]);
        Assert.True(check.Claims.ContainsKey("iat"));
        var tampered = got.Body.ToArray();
        tampered[^3] ^= 1;
        Assert.False((await BodySigner.VerifyAsync(_keys.PublicKey, got.Signature, tampered, DateTimeOffset.UtcNow, requireExpiry: false)).IsValid);
    }

    [Fact]
    public async Task SendAsync_Hs256_VerifiesWithTheSharedSecret()
    {
        var secret = new string('q', 40);
        var (sut, owner) = CreateSut(["127.0.0.0/8"], key: SigningKey.FromSecret(secret));
        using var _ = owner;

        await sut.SendAsync(Request(_receiver.Url("hs")), 1, CancellationToken.None);

        var got = Assert.Single(await _receiver.WaitForAsync(1, "hs"));
        using var verifier = SigningKey.FromSecret(secret);
        Assert.True((await BodySigner.VerifyAsync(verifier, got.Signature, got.Body, DateTimeOffset.UtcNow, requireExpiry: false)).IsValid);
    }

    [Theory]
    [InlineData(500, AttemptKind.Retry)]
    [InlineData(408, AttemptKind.Retry)]
    [InlineData(400, AttemptKind.Final)]
    [InlineData(404, AttemptKind.Final)]
    [InlineData(302, AttemptKind.Final)]
    public async Task SendAsync_ReceiverStatus_IsClassified(int status, AttemptKind expected)
    {
        var (sut, owner) = CreateSut(["127.0.0.0/8"]);
        using var _ = owner;
        _receiver.Script("s" + status, status);

        var outcome = await sut.SendAsync(Request(_receiver.Url("s" + status)), 1, CancellationToken.None);

        Assert.Equal(expected, outcome.Kind);
        Assert.Equal(status, outcome.StatusCode);
        Assert.DoesNotContain(_receiver.Received, r => r.Path == "/redirected"); // redirects are not followed
    }

    [Fact]
    public async Task SendAsync_429WithRetryAfter_RetriesAndCarriesTheDelay()
    {
        var (sut, owner) = CreateSut(["127.0.0.0/8"]);
        using var _ = owner;
        _receiver.Script("busy", 429);

        var outcome = await sut.SendAsync(Request(_receiver.Url("busy")), 1, CancellationToken.None);

        Assert.Equal(AttemptKind.Retry, outcome.Kind);
        Assert.Equal(TimeSpan.FromSeconds(1), outcome.RetryAfter);
    }

    [Fact]
    public async Task SendAsync_ReceiverNeverAnswers_TimesOutAsRetry()
    {
        var (sut, owner) = CreateSut(["127.0.0.0/8"], timeout: TimeSpan.FromMilliseconds(300));
        using var _ = owner;
        _receiver.Script("hang", CallbackReceiver.Hang);

        var outcome = await sut.SendAsync(Request(_receiver.Url("hang")), 1, CancellationToken.None);

        Assert.Equal(AttemptKind.Retry, outcome.Kind);
        Assert.Contains("no answer within 300 ms", outcome.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    public async Task SendAsync_LoopbackNotAllowed_IsRefusedFinalAndNothingArrives(string host)
    {
        var (sut, owner) = CreateSut([]);
        using var _ = owner;

        var outcome = await sut.SendAsync(Request(new Uri($"http://{host}:{_receiver.Port}/refused")), 1, CancellationToken.None);

        Assert.Equal(AttemptKind.Final, outcome.Kind);
        Assert.Contains("CALLBACK_ALLOWED_NETWORKS", outcome.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(_receiver.Received, r => r.Path == "/refused");
    }

    [Fact]
    public async Task SendAsync_MetadataAddress_IsAlwaysRefused()
    {
        var (sut, owner) = CreateSut(["0.0.0.0/0", "::/0"]);
        using var _ = owner;

        var outcome = await sut.SendAsync(Request(new Uri("http://169.254.169.254/latest/meta-data/")), 1, CancellationToken.None);

        Assert.Equal(AttemptKind.Final, outcome.Kind);
        Assert.Contains("always refused", outcome.Detail, StringComparison.Ordinal);
    }

    private sealed class Owner(HttpClient http, SigningKey key) : IDisposable
    {
        public void Dispose()
        {
            http.Dispose();
            key.Dispose();
        }
    }
}
