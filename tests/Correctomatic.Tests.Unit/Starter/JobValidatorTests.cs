using Microsoft.Extensions.Time.Testing;
using System.Text;
using Correctomatic.Shared.Contracts;
using Correctomatic.Shared.Redis;
using Correctomatic.Shared.Signing;
using Correctomatic.Starter;

namespace Correctomatic.Tests.Unit.Starter;

public sealed class JobValidatorTests
{
    private const string Secret = "0123456789abcdef0123456789abcdef-test";
    private static readonly DateTimeOffset s_now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);

    private static JobValidator CreateSut(bool requireToken = false) => new(
        EntryReader.Default,
        new ImageAllowlist(["correctomatic/*"]),
        new LimitsPolicy
        {
            Default = new EffectiveLimits(TimeSpan.FromSeconds(60), 300, 1, 128),
            Maximum = new EffectiveLimits(TimeSpan.FromMinutes(10), 1024, 2, 512),
        },
        new SubmissionFiles(null, 1000),
        new JobTokenVerifier(SigningKey.FromSecret(Secret), requireToken, new FakeTimeProvider(s_now), TimeSpan.FromHours(1)));

    private static StreamEntry Entry(string data, string? token = null)
    {
        var fields = new Dictionary<string, string> { [StreamFields.Data] = data };
        if (token is not null)
        {
            fields[StreamFields.Token] = token;
        }

        return new StreamEntry("1700000000123-0", fields);
    }

    private const string Valid =
        """{"image":"correctomatic/grader-shell","callback":"http://lms.local/cb","work_id":"w1","file_content":"ZWNobyBoaQ==","params":["EXPECTED=hi"],"limits":{"memory_mb":64}}""";

    [Fact]
    public async Task ValidateAsync_ValidJob_AcceptedWithEverythingResolved()
    {
        var decision = await CreateSut().ValidateAsync(Entry(Valid));

        Assert.Equal(JobDecisionKind.Accepted, decision.Kind);
        var job = decision.Job!;
        Assert.Equal(("1700000000123-0", "w1", "http://lms.local/cb"), (job.JobId, job.WorkId, job.Callback));
        Assert.Equal(["EXPECTED=hi"], job.Env);
        Assert.Equal(64, job.Limits.MemoryMb);
        Assert.Equal("echo hi", Encoding.UTF8.GetString(job.File));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1700000000123), job.QueuedAt);
    }

    [Fact]
    public async Task ValidateAsync_RerunOfAnEarlierJob_KeepsItsFirstIdAndQueuedAt()
    {
        var entry = new StreamEntry("1700000009000-0", new Dictionary<string, string>
        {
            [StreamFields.Data] = Valid, [StreamFields.JobId] = "1700000000123-0", [StreamFields.Attempt] = "2",
        });

        var job = (await CreateSut().ValidateAsync(entry)).Job!;

        Assert.Equal(("1700000000123-0", 2), (job.JobId, job.Attempt));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1700000000123), job.QueuedAt);
    }

    [Fact]
    public async Task ValidateAsync_JobIdFieldWithoutAnAttempt_TheEntryOwnId()
    {
        var entry = new StreamEntry("1700000009000-0", new Dictionary<string, string> { [StreamFields.Data] = Valid, [StreamFields.JobId] = "1700000000123-0" });

        var job = (await CreateSut().ValidateAsync(entry)).Job!;

        Assert.Equal(("1700000009000-0", 1), (job.JobId, job.Attempt));
    }

    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("[1,2]", "not a JSON object")]
    [InlineData("""{"image":"correctomatic/x","file_content":"eA=="}""", "no callback")]
    [InlineData("""{"image":"correctomatic/x","callback":"ftp://x/y","file_content":"eA=="}""", "not an absolute http or https URL")]
    [InlineData("""{"image":"correctomatic/x","callback":"/relative","file_content":"eA=="}""", "not an absolute http or https URL")]
    public async Task ValidateAsync_NoUsableCallback_Dead(string data, string reason)
    {
        var decision = await CreateSut().ValidateAsync(Entry(data));

        Assert.Equal(JobDecisionKind.Dead, decision.Kind);
        Assert.Contains(reason, decision.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"image":"correctomatic/x","callback":"http://a/b"}""", "pending.json")]
    [InlineData("""{"image":"evil/x","callback":"http://a/b","file_content":"eA=="}""", "image 'evil/x' is not allowed")]
    [InlineData("""{"image":"correctomatic/x","callback":"http://a/b","file_content":"eA==","params":["PATH=/x"]}""", "PATH is set by the starter")]
    [InlineData("""{"image":"correctomatic/x","callback":"http://a/b","file_content":"eA==","limits":{"pids":100000}}""", "pids=100000 exceeds the maximum 512")]
    [InlineData("""{"image":"correctomatic/x","callback":"http://a/b","file":"/etc/passwd"}""", "SUBMISSIONS_DIR is not set")]
    [InlineData("""{"image":"correctomatic/x","callback":"http://a/b","file_content":"eA==","limits":{"timeout_seconds":1e15}}""", "timeout_seconds=1E+15 exceeds the maximum")]
    [InlineData("""{"image":"correctomatic/x","callback":"http://a/b","file_content":"eA==","limits":{"timeout_seconds":1e400}}""", "timeout_seconds")]
    [InlineData("""{"image":"correctomatic/x","callback":"http://a/b","file_content":"eA==","limits":{"cpus":1e400}}""", "cpus")]
    [InlineData("""{"image":"correctomatic/x","callback":"http://a/b","file_content":"eA==","limits":{"memory_mb":1e15}}""", "memory_mb")]
    [InlineData("""{"image":"correctomatic/x","callback":"http://a/b","file_content":"eA==","limits":{"memory_mb":99999999999999999999999}}""", "memory_mb")]
    [InlineData("""{"image":"correctomatic/x","callback":"http://a/b","file_content":"eA==","limits":{"pids":-1}}""", "pids")]
    [InlineData("""{"image":"correctomatic/x","callback":"http://a/b","file_content":"eA==","work_id":"\ud800"}""", "work_id")]
    public async Task ValidateAsync_InvalidJobWithCallback_RejectedWithMessage(string data, string message)
    {
        var decision = await CreateSut().ValidateAsync(Entry(data));

        Assert.Equal(JobDecisionKind.Rejected, decision.Kind);
        Assert.Equal("http://a/b", decision.Callback);
        Assert.Contains(message, decision.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValidateAsync_TokenRequiredAndValid_Accepted()
    {
        using var key = SigningKey.FromSecret(Secret);
        var token = BodySigner.Sign(key, Encoding.UTF8.GetBytes(Valid), s_now, TimeSpan.FromMinutes(5));

        Assert.Equal(JobDecisionKind.Accepted, (await CreateSut(requireToken: true).ValidateAsync(Entry(Valid, token))).Kind);
    }

    [Fact]
    public async Task ValidateAsync_TokenRequiredMissing_Rejected() =>
        Assert.Contains("no token", (await CreateSut(requireToken: true).ValidateAsync(Entry(Valid))).Message, StringComparison.Ordinal);

    [Fact]
    public async Task ValidateAsync_TokenForOtherBytes_Rejected()
    {
        using var key = SigningKey.FromSecret(Secret);
        var token = BodySigner.Sign(key, Encoding.UTF8.GetBytes(Valid + " "), s_now, TimeSpan.FromMinutes(5));

        var decision = await CreateSut(requireToken: true).ValidateAsync(Entry(Valid, token));

        Assert.Equal(JobDecisionKind.Rejected, decision.Kind);
        Assert.Contains("sha256 differs", decision.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValidateAsync_TokenExpired_Rejected()
    {
        using var key = SigningKey.FromSecret(Secret);
        var token = BodySigner.Sign(key, Encoding.UTF8.GetBytes(Valid), s_now - TimeSpan.FromHours(1), TimeSpan.FromMinutes(5));

        Assert.Contains("expired", (await CreateSut(requireToken: true).ValidateAsync(Entry(Valid, token))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValidateAsync_TokenWithoutExpiry_Rejected()
    {
        using var key = SigningKey.FromSecret(Secret);
        var token = BodySigner.Sign(key, Encoding.UTF8.GetBytes(Valid), s_now);

        Assert.Contains("no expiry", (await CreateSut(requireToken: true).ValidateAsync(Entry(Valid, token))).Message, StringComparison.Ordinal);
    }

    /// <summary>A pending entry queued <paramref name="ago"/> before now, as a rerun of a job first queued <paramref name="firstAgo"/> before now.</summary>
    private static StreamEntry Rerun(string token, TimeSpan firstAgo, TimeSpan ago) =>
        new($"{(s_now - ago).ToUnixTimeMilliseconds()}-0", new Dictionary<string, string>
        {
            [StreamFields.Data] = Valid, [StreamFields.Token] = token, [StreamFields.Attempt] = "2",
            [StreamFields.JobId] = $"{(s_now - firstAgo).ToUnixTimeMilliseconds()}-0",
        });

    [Fact]
    public async Task ValidateAsync_RerunWhoseTokenExpiredSinceItsFirstAttempt_Accepted()
    {
        // Valid when the job was first queued 20 minutes ago, expired 15 minutes ago; an engine restart then ran it again.
        using var key = SigningKey.FromSecret(Secret);
        var token = BodySigner.Sign(key, Encoding.UTF8.GetBytes(Valid), s_now - TimeSpan.FromMinutes(25), TimeSpan.FromMinutes(10));

        var decision = await CreateSut(requireToken: true).ValidateAsync(Rerun(token, TimeSpan.FromMinutes(20), TimeSpan.FromSeconds(5)));

        Assert.Equal(JobDecisionKind.Accepted, decision.Kind);
        Assert.Equal(2, decision.Job!.Attempt);
    }

    [Fact]
    public async Task ValidateAsync_RerunUnderAnIdOlderThanTheGrace_TokenCheckedNowAndExpired()
    {
        // A replay of an old token dressed up as a rerun: its "first attempt" is 2 hours old, beyond JOB_TOKEN_RERUN_GRACE.
        using var key = SigningKey.FromSecret(Secret);
        var token = BodySigner.Sign(key, Encoding.UTF8.GetBytes(Valid), s_now - TimeSpan.FromMinutes(125), TimeSpan.FromMinutes(10));

        var decision = await CreateSut(requireToken: true).ValidateAsync(Rerun(token, TimeSpan.FromMinutes(120), TimeSpan.FromSeconds(5)));

        Assert.Equal(JobDecisionKind.Rejected, decision.Kind);
        Assert.Contains("expired", decision.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValidateAsync_RerunWhoseTokenHadExpiredAtItsFirstAttempt_Rejected()
    {
        using var key = SigningKey.FromSecret(Secret);
        var token = BodySigner.Sign(key, Encoding.UTF8.GetBytes(Valid), s_now - TimeSpan.FromMinutes(40), TimeSpan.FromMinutes(10));

        var decision = await CreateSut(requireToken: true).ValidateAsync(Rerun(token, TimeSpan.FromMinutes(20), TimeSpan.FromSeconds(5)));

        Assert.Contains("expired", decision.Message, StringComparison.Ordinal);
    }
}
