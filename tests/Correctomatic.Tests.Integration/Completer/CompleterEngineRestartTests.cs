using Correctomatic.Shared.Contracts;
using Xunit.Abstractions;

namespace Correctomatic.Tests.Integration.Completer;

/// <summary>
/// The Docker engine restarted under running graders (issue #15), on a private second dockerd so the shared engine is
/// never restarted. With live-restore the grader keeps running and the completer picks it up again (events resume,
/// inspect, logs): the real verdict. Without it the engine stops the grader: an infrastructure fault, never a
/// student-facing status such as invalid_output: the job goes back into pending for another attempt, or, when its running
/// entry cannot say what the job was, completes with error naming the cause.
/// </summary>
public sealed class CompleterEngineRestartTests(ITestOutputHelper output)
{
    private const string Response = """{"success":true,"grade":7,"comments":["after the restart"]}""";

    [Fact]
    public async Task Complete_EngineRestartedWithLiveRestore_GraderKeepsRunningAndIsGraded()
    {
        await using var engine = await SecondDockerEngine.StartAsync(liveRestore: true);
        await using var h = await CompleterHarness.StartAsync(engine.Host, hostId: "engine-live");
        await using var completer = await RunningCompleter.StartAsync(h, output);
        var job = await h.CreateJobAsync($"sleep 4; echo '{Response}'");
        await h.WaitUntilHeldAsync(await h.PublishRunningAsync(job));

        await engine.RestartAsync();
        Assert.Equal("running", (await h.Docker.InspectContainerAsync(job.ContainerId)).State.Status);
        var finished = await h.WaitForOneFinishedAsync(job, TimeSpan.FromSeconds(60));

        Assert.Equal(JobStatus.Graded, finished.Response.Status);
        Assert.Equal(7, finished.Response.Grade);
        Assert.Equal(["after the restart"], finished.Response.Comments);
        await h.AssertNoContainersLeftAsync();
        Assert.Equal(0, await h.PendingCountAsync(ConsumerGroups.Completer("engine-live")));
    }

    [Fact]
    public async Task Complete_GraderEndsWhileTheLiveRestoreEngineIsDown_ItsLostOutputIsAnInfrastructureFault()
    {
        var finished = await GraderEndsWhileTheEngineIsDownAsync("engine-lost", pingInterval: null);

        // Not invalid_output: the harness's entry carries no pending data (as an older starter's), so an error naming the cause.
        Assert.Equal(JobStatus.Error, finished.Response.Status);
        Assert.Contains("while the Docker engine could not be reached", finished.Response.Error, StringComparison.Ordinal);
        Assert.Contains("not run again", finished.Response.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Complete_GraderEndsWhileTheEngineIsDownBetweenTwoPings_TheDroppedEventsStreamOpensTheOutage()
    {
        // One ping at the start, none after: only the events stream's drop can tell this completer the engine went away
        // (chaos.sh saw a live-restore restart pass between two pings a second apart).
        var finished = await GraderEndsWhileTheEngineIsDownAsync("engine-unpinged", pingInterval: TimeSpan.FromHours(1));

        Assert.Equal(JobStatus.Error, finished.Response.Status);
        Assert.Contains("while the Docker engine could not be reached", finished.Response.Error, StringComparison.Ordinal);
    }

    /// <summary>A grader that prints and ends while a live-restore dockerd is down: the engine restored keeps no log of it (exit 0, nothing).</summary>
    private async Task<FinishedJob> GraderEndsWhileTheEngineIsDownAsync(string hostId, TimeSpan? pingInterval)
    {
        await using var engine = await SecondDockerEngine.StartAsync(liveRestore: true);
        await using var h = await CompleterHarness.StartAsync(engine.Host, hostId: hostId);
        var settings = h.Settings();
        await using var completer = await RunningCompleter.StartAsync(h, output,
            pingInterval is { } interval ? settings with { EnginePingInterval = interval } : settings);
        var job = await h.CreateJobAsync($"sleep 5; echo '{Response}'");
        await h.WaitUntilHeldAsync(await h.PublishRunningAsync(job));
        var pid = (await Infrastructure.DockerEngine.CliAsync("-H", engine.Host, "inspect", "-f", "{{.State.Pid}}", job.ContainerId)).Stdout.Trim();

        await engine.RestartAsync(() => CompleterHarness.WaitForAsync(() => Task.FromResult(Directory.Exists("/proc/" + pid) ? null : "ended"),
            "the grader to end while the engine is down", TimeSpan.FromSeconds(30)));
        var finished = await h.WaitForOneFinishedAsync(job, TimeSpan.FromSeconds(60));
        await h.AssertNoContainersLeftAsync();
        return finished;
    }

    [Fact]
    public async Task Complete_EngineRestartedWithoutLiveRestore_InfrastructureFaultNotAStudentStatus()
    {
        await using var engine = await SecondDockerEngine.StartAsync(liveRestore: false);
        await using var h = await CompleterHarness.StartAsync(engine.Host, hostId: "engine-plain");
        await using var completer = await RunningCompleter.StartAsync(h, output);
        var job = await h.CreateJobAsync($"sleep 30; echo '{Response}'");
        await h.WaitUntilHeldAsync(await h.PublishRunningAsync(job));

        await engine.RestartAsync();
        var finished = await h.WaitForOneFinishedAsync(job, TimeSpan.FromSeconds(60));

        // The harness's running entry carries no pending data (as an older starter's): no rerun, an error naming the cause.
        Assert.Equal(JobStatus.Error, finished.Response.Status);
        Assert.Contains("killed by SIG", finished.Response.Error, StringComparison.Ordinal);
        Assert.Contains("not run again", finished.Response.Error, StringComparison.Ordinal);
        await h.AssertNoContainersLeftAsync();
        Assert.Equal(0, await h.PendingCountAsync(ConsumerGroups.Completer("engine-plain")));
    }

    [Fact]
    public async Task Complete_EngineRestartedWithoutLiveRestore_JobPutBackIntoPendingForAnotherAttempt()
    {
        await using var engine = await SecondDockerEngine.StartAsync(liveRestore: false);
        await using var h = await CompleterHarness.StartAsync(engine.Host, hostId: "engine-rerun");
        await using var completer = await RunningCompleter.StartAsync(h, output);
        var job = await h.CreateJobAsync($"sleep 30; echo '{Response}'");
        var pendingData = ContractJson.Serialize(new PendingJob
        {
            Image = "correctomatic/grader-shell:latest", Callback = job.Running.Callback, WorkId = job.Running.WorkId,
            FileContent = Convert.ToBase64String("echo hello\n"u8),
        });
        // As the starter writes it (issue #15): the pending entry's data and token ride along, and this is attempt 1.
        var entryId = await h.PublishRunningAsync(job, StreamFields.PendingData, pendingData, StreamFields.PendingToken, "a-token", StreamFields.Attempt, "1");
        await h.WaitUntilHeldAsync(entryId);

        await engine.RestartAsync();
        var again = await CompleterHarness.WaitForAsync(async () => (await h.ReadPendingAsync()).SingleOrDefault(),
            "the job back in pending", TimeSpan.FromSeconds(60));

        // The hand-off back to pending and the acknowledgement are one step: no verdict was written, and none will be.
        Assert.Equal(pendingData, again[StreamFields.Data]);
        Assert.Equal("a-token", again[StreamFields.Token]);
        Assert.Equal(job.JobId, again[StreamFields.JobId]);
        Assert.Equal("2", again[StreamFields.Attempt]);
        Assert.Contains("killed by SIG", again[StreamFields.RerunCause], StringComparison.Ordinal);
        Assert.Empty(await h.ReadFinishedAsync());
        Assert.Equal(0, await h.PendingCountAsync(ConsumerGroups.Completer("engine-rerun")));
        await h.AssertNoContainersLeftAsync();
    }
}
