using System.Text;
using System.Text.Json;
using Correctomatic.Shared.Contracts;
using Correctomatic.Shared.Redis;
using Correctomatic.Shared.Schemas;
using Correctomatic.Shared.Signing;

namespace Correctomatic.Tests.Integration.Notifier;

/// <summary>The notifier end to end (issue #7): a real redis-server, the real wiring, a real receiver on 127.0.0.1.</summary>
public sealed class NotifierWorkerTests : IAsyncLifetime
{
    private NotifierFixture _f = null!;

    public async Task InitializeAsync() => _f = await NotifierFixture.StartAsync();

    public async Task DisposeAsync() => await _f.DisposeAsync();

    [Fact]
    public async Task Deliver_GradedEntry_BodyValidatesMatchesAndIsSignedThenAcknowledged()
    {
        await _f.StartNotifierAsync();
        var jobId = await _f.AddFinishedAsync(_f.Receiver.Url("lms"));

        var got = Assert.Single(await _f.Receiver.WaitForAsync(1, "lms"));

        var body = Encoding.UTF8.GetString(got.Body);
        Assert.Empty(SchemaCatalog.Default.Validate(SchemaName.CorrectomaticResponse, body));
        Assert.Equal($$"""{"comments":["If priests would eat","pebbles from the riveeeer"],"grade":7.98,"job_id":"{{jobId}}","status":"graded","success":true,"work_id":"w-{{jobId}}"}""", body);
        Assert.Equal("application/json", got.ContentType);
        Assert.Equal(jobId, got.IdempotencyKey);
        var check = await BodySigner.VerifyAsync(_f.Keys.PublicKey, got.Signature, got.Body, DateTimeOffset.UtcNow, requireExpiry: false);
        Assert.True(check.IsValid, check.Error);
        Assert.Equal(jobId, check.Claims![CallbackHeaders.JobIdClaim]);
        var tampered = got.Body.ToArray();
        tampered[10] ^= 1;
        Assert.False((await BodySigner.VerifyAsync(_f.Keys.PublicKey, got.Signature, tampered, DateTimeOffset.UtcNow, requireExpiry: false)).IsValid);
        await NotifierFixture.EventuallyAsync(async () => await _f.PendingAsync() == 0, "the entry is acknowledged");
        Assert.Empty(await _f.DeadAsync());
    }

    [Fact]
    public async Task Deliver_500Then200_DeliveredOnceAfterBackoffWithTheSameIdempotencyKey()
    {
        await _f.StartNotifierAsync();
        _f.Receiver.Script("flaky", 500, 503);
        var jobId = await _f.AddFinishedAsync(_f.Receiver.Url("flaky"));

        var got = await _f.Receiver.WaitForAsync(3, "flaky");

        Assert.Equal([500, 503, 200], got.Select(r => r.StatusSent));
        Assert.All(got, r => Assert.Equal(jobId, r.IdempotencyKey));
        Assert.All(got, r => Assert.Equal(got[0].Body, r.Body));
        Assert.Equal(["1", "2", "3"], got.Select(r => r.Attempt));
        // Backoff with equal jitter: at least half the base (50 ms) before attempt 2; 503 sends Retry-After: 1 s.
        Assert.True(got[1].At - got[0].At >= TimeSpan.FromMilliseconds(45), $"retried after {(got[1].At - got[0].At).TotalMilliseconds} ms");
        Assert.True(got[2].At - got[1].At >= TimeSpan.FromMilliseconds(950), $"Retry-After ignored: {(got[2].At - got[1].At).TotalMilliseconds} ms");
        await NotifierFixture.EventuallyAsync(async () => await _f.PendingAsync() == 0, "the entry is acknowledged");
        await Task.Delay(300);
        Assert.Equal(3, _f.Receiver.Received.Count(r => r.Path == "/flaky"));
        Assert.Empty(await _f.DeadAsync());
        Assert.Equal(0, (await _f.Client.ExecuteAsync("EXISTS", $"{NotifierFixture.Prefix}notifier:attempts:{jobId}")).AsInt64());
    }

    [Fact]
    public async Task Deliver_400_DeadAtOnceWithTheAttempt()
    {
        await _f.StartNotifierAsync();
        _f.Receiver.Script("bad", 400);
        var jobId = await _f.AddFinishedAsync(_f.Receiver.Url("bad"), status: "grader_failed");

        await NotifierFixture.EventuallyAsync(async () => (await _f.DeadAsync()).Count == 1, "the entry is dead-lettered");

        var dead = Assert.Single(await _f.DeadAsync());
        var reason = dead.Field(StreamFields.Reason)!;
        Assert.Contains("HTTP 400", reason, StringComparison.Ordinal);
        Assert.Contains("\"attempt\":1", reason, StringComparison.Ordinal);
        Assert.Contains(jobId, dead.Field(StreamFields.Data), StringComparison.Ordinal);
        Assert.Single(_f.Receiver.Received, r => r.Path == "/bad");
        Assert.Equal(0, await _f.PendingAsync());
    }

    [Fact]
    public async Task Deliver_GivesUpAfterMaxAttempts_DeadWithEveryAttempt()
    {
        await _f.StartNotifierAsync(("CALLBACK_MAX_ATTEMPTS", "3"));
        _f.Receiver.Script("down", 502, 502, 502);
        await _f.AddFinishedAsync(_f.Receiver.Url("down"));

        await NotifierFixture.EventuallyAsync(async () => (await _f.DeadAsync()).Count == 1, "the entry is dead-lettered");

        var reason = Assert.Single(await _f.DeadAsync()).Field(StreamFields.Reason)!;
        var attempts = JsonDocument.Parse(reason[(reason.IndexOf("attempts: ", StringComparison.Ordinal) + "attempts: ".Length)..]).RootElement;
        Assert.Equal([1, 2, 3], attempts.EnumerateArray().Select(a => a.GetProperty("attempt").GetInt32()));
        Assert.All(attempts.EnumerateArray(), a => Assert.Equal(502, a.GetProperty("status").GetInt32()));
        Assert.Contains("CALLBACK_MAX_ATTEMPTS=3", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deliver_ReceiverDown_RetriedThenDeliveredWhenItComesBack()
    {
        await _f.Receiver.StopAsync();
        await _f.StartNotifierAsync();
        var jobId = await _f.AddFinishedAsync(_f.Receiver.Url("back"));
        var historyKey = $"{NotifierFixture.Prefix}notifier:attempts:{jobId}";
        await NotifierFixture.EventuallyAsync(async () => (await _f.Client.ExecuteAsync("LLEN", historyKey)).AsInt64() >= 2,
            "two failed attempts are recorded in Redis");

        await _f.Receiver.StartAgainAsync();

        var got = Assert.Single(await _f.Receiver.WaitForAsync(1, "back"));
        Assert.Equal(jobId, got.IdempotencyKey);
        Assert.True(int.Parse(got.Attempt!, System.Globalization.CultureInfo.InvariantCulture) >= 3);
        await NotifierFixture.EventuallyAsync(async () => await _f.PendingAsync() == 0, "the entry is acknowledged");
        Assert.Empty(await _f.DeadAsync());
    }

    [Fact]
    public async Task Deliver_ReceiverThatNeverAnswers_DoesNotDelayCallbacksToAHealthyOne()
    {
        // Two "hosts": 127.0.0.1 (hangs) and localhost (healthy) are different callback hosts to the per-host limit.
        await _f.StartNotifierAsync(("NOTIFIER_CONCURRENCY", "8"), ("CALLBACK_MAX_IN_FLIGHT_PER_HOST", "2"), ("CALLBACK_TIMEOUT", "10s"),
            ("CALLBACK_ALLOWED_NETWORKS", "127.0.0.0/8 ::1/128"));
        _f.Receiver.Script("hang", Enumerable.Repeat(CallbackReceiver.Hang, 20).ToArray());
        for (var i = 0; i < 6; i++)
        {
            await _f.AddFinishedAsync(_f.Receiver.Url("hang"));
        }

        await _f.Receiver.WaitForAsync(2, "hang");
        var started = DateTime.UtcNow;
        for (var i = 0; i < 20; i++)
        {
            await _f.AddFinishedAsync(new Uri($"http://localhost:{_f.Receiver.Port}/healthy"));
        }

        var healthy = await _f.Receiver.WaitForAsync(20, "healthy", TimeSpan.FromSeconds(8));

        Assert.Equal(20, healthy.Select(r => r.IdempotencyKey).Distinct().Count());
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5), $"healthy callbacks took {(DateTime.UtcNow - started).TotalSeconds:0.0} s");
        Assert.Equal(2, _f.Receiver.Received.Count(r => r.Path == "/hang")); // the per-host cap held the other four back
    }

    [Fact]
    public async Task Deliver_LoopbackNotAllowed_RefusedAndDeadWithoutARequest()
    {
        await _f.StartNotifierAsync(("CALLBACK_ALLOWED_NETWORKS", ""));
        await _f.AddFinishedAsync(_f.Receiver.Url("private"));

        await NotifierFixture.EventuallyAsync(async () => (await _f.DeadAsync()).Count == 1, "the entry is dead-lettered");

        Assert.Contains("CALLBACK_ALLOWED_NETWORKS", Assert.Single(await _f.DeadAsync()).Field(StreamFields.Reason), StringComparison.Ordinal);
        Assert.Empty(_f.Receiver.Received);
    }

    [Fact]
    public async Task Deliver_MetadataAddress_AlwaysRefusedEvenWhenEverythingIsAllowed()
    {
        await _f.StartNotifierAsync(("CALLBACK_ALLOWED_NETWORKS", "0.0.0.0/0 ::/0"));
        await _f.AddFinishedAsync(new Uri("http://169.254.169.254/latest/meta-data/iam/"));

        await NotifierFixture.EventuallyAsync(async () => (await _f.DeadAsync()).Count == 1, "the entry is dead-lettered");

        Assert.Contains("always refused", Assert.Single(await _f.DeadAsync()).Field(StreamFields.Reason), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deliver_InvalidResponse_DeadLetteredAsPoisonWithoutARequest()
    {
        await _f.StartNotifierAsync();
        await _f.Client.XAddAsync(_f.Streams.Finished,
            [new(StreamFields.Data, $$$"""{"job_id":"j1","callback":"{{{_f.Receiver.Url("poison")}}}","response":{"success":true,"job_id":"j1","status":"timeout"}}""")]);

        await NotifierFixture.EventuallyAsync(async () => (await _f.DeadAsync()).Count == 1, "the entry is dead-lettered");

        Assert.Contains("correctomatic_response.json", Assert.Single(await _f.DeadAsync()).Field(StreamFields.Reason), StringComparison.Ordinal);
        Assert.Empty(_f.Receiver.Received);
    }
}
