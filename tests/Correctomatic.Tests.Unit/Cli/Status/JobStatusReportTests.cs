using System.Text.Json;
using Correctomatic.Cli.Status;

namespace Correctomatic.Tests.Unit.Cli.Status;

/// <summary>The <c>status --json</c> document is a contract for scripts (README, "Job status and top"): its keys and state names.</summary>
public sealed class JobStatusReportTests
{
    [Fact]
    public void Serialize_NothingKnownYet_WritesEveryKeyWithNull()
    {
        var report = new JobStatusReport("1-0", null, JobState.Pending, false, "pending: not yet read by a starter",
            new StatusTimings(DateTimeOffset.UnixEpoch, null, null, null, null), null, null, null, null, null, []);

        using var document = JsonDocument.Parse(JsonSerializer.Serialize(report));

        Assert.Equal(["job_id", "work_id", "state", "final", "summary", "timings", "starter", "container", "completer", "verdict", "callback", "dead"],
            document.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(["queued_at", "started_at", "finished_at", "duration_ms", "delivered_at"],
            document.RootElement.GetProperty("timings").EnumerateObject().Select(p => p.Name));
        Assert.Equal(JsonValueKind.Null, document.RootElement.GetProperty("verdict").ValueKind);
    }

    [Theory]
    [InlineData(JobState.Pending, "pending")]
    [InlineData(JobState.Starting, "starting")]
    [InlineData(JobState.Running, "running")]
    [InlineData(JobState.Finished, "finished")]
    [InlineData(JobState.Delivered, "delivered")]
    [InlineData(JobState.Dead, "dead")]
    public void Serialize_State_IsItsLowercaseName(JobState state, string expected) =>
        Assert.Equal($"\"{expected}\"", JsonSerializer.Serialize(state));
}
