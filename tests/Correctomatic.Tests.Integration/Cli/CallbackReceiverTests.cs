using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Correctomatic.Cli.Receiver;
using Correctomatic.Shared.Contracts;
using Correctomatic.Shared.Signing;

namespace Correctomatic.Tests.Integration.Cli;

/// <summary>The receiver over real HTTP on loopback (issue #8): a real signed callback is accepted, a tampered one refused.</summary>
public sealed class CallbackReceiverTests : IAsyncLifetime
{
    private readonly ConcurrentQueue<ReceivedCallback> _verified = new();
    private readonly ConcurrentQueue<string> _refused = new();
    private readonly SigningKey _privateKey;
    private readonly SigningKey _publicKey;
    private readonly HttpClient _http = new();
    private CallbackReceiver _receiver = null!;

    public CallbackReceiverTests()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        _privateKey = SigningKey.FromPrivateKeyPem(ecdsa.ExportPkcs8PrivateKeyPem());
        _publicKey = SigningKey.FromPublicKeyPem(ecdsa.ExportSubjectPublicKeyInfoPem());
    }

    public async Task InitializeAsync() =>
        _receiver = await CallbackReceiver.StartAsync("http://127.0.0.1:0", _publicKey, TimeProvider.System,
            c => { _verified.Enqueue(c); return Task.CompletedTask; },
            r => { _refused.Enqueue(r); return Task.CompletedTask; });

    public async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        _http.Dispose();
        _privateKey.Dispose();
        _publicKey.Dispose();
    }

    private async Task<HttpResponseMessage> PostAsync(byte[] body, string token, string idempotencyKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_receiver.Address, "/callbacks"))
        {
            Content = new ByteArrayContent(body) { Headers = { { "Content-Type", "application/json" } } },
        };
        request.Headers.Add(CallbackHeaders.Signature, token);
        request.Headers.Add(CallbackHeaders.IdempotencyKey, idempotencyKey);
        return await _http.SendAsync(request);
    }

    private string Sign(byte[] body, string jobId) =>
        BodySigner.Sign(_privateKey, body, TimeProvider.System.GetUtcNow(), claims: new Dictionary<string, object> { [CallbackHeaders.JobIdClaim] = jobId });

    [Fact]
    public async Task Post_SignedCallback_IsAcceptedAndPrintedOnce_RepeatMarkedDuplicate()
    {
        var body = Encoding.UTF8.GetBytes("""{"job_id":"1-0","status":"graded","success":true,"work_id":"w"}""");
        var token = Sign(body, "1-0");

        using var first = await PostAsync(body, token, "1-0");
        using var second = await PostAsync(body, token, "1-0");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal([false, true], _verified.Select(c => c.Duplicate));
        Assert.Equal(Encoding.UTF8.GetString(body), _verified.First().Body);
        Assert.Empty(_refused);
    }

    [Fact]
    public async Task Post_OneByteTampered_IsRefusedWith401()
    {
        var body = Encoding.UTF8.GetBytes("""{"job_id":"2-0","status":"graded","success":true,"grade":5}""");
        var token = Sign(body, "2-0");
        var tampered = Encoding.UTF8.GetBytes("""{"job_id":"2-0","status":"graded","success":true,"grade":9}""");

        using var response = await PostAsync(tampered, token, "2-0");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("sha256", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(_verified);
    }

    [Fact]
    public async Task Post_TokenForAnotherJob_IsRefused()
    {
        var body = Encoding.UTF8.GetBytes("""{"job_id":"3-0","status":"graded","success":true}""");

        using var response = await PostAsync(body, Sign(body, "other-job"), "3-0");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(_verified);
    }
}
