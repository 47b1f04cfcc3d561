using Correctomatic.Shared.Contracts;
using Xunit.Abstractions;

namespace Correctomatic.Tests.Integration.Completer;

/// <summary>
/// Both orders of "running entry" and "container finished", forced deterministically (issue #6): the entry first, then the
/// container finishing (the common case), and the other way round (a short grader, or a completer that was down), and
/// the window between.
/// </summary>
public sealed class CompleterRaceTests(ITestOutputHelper output)
{
    private const string Graded = """echo '{"success":true,"grade":5,"comments":["ok"]}'""";

    [Fact]
    public async Task Complete_MessageFirstWithEventWatcherHeldBack_CompletesWhenTheWatcherSeesTheDie()
    {
        await using var h = await CompleterHarness.StartAsync();
        var watcher = new TaskCompletionSource();
        // No periodic sweep during the test: only the held-back event watcher can see the container finish.
        await using var completer = await RunningCompleter.StartAsync(h, output, h.Settings(s => s with { SweepInterval = TimeSpan.FromMinutes(10) }),
            ct => watcher.Task.WaitAsync(ct));
        var job = await h.CreateJobAsync(Graded, start: false);

        await h.WaitUntilHeldAsync(await h.PublishRunningAsync(job));
        await h.Docker.StartContainerAsync(job.ContainerId);
        await h.WaitForExitAsync(job);
        await Task.Delay(300);
        var beforeRelease = await h.ReadFinishedAsync();
        watcher.SetResult();
        var finished = await h.WaitForOneFinishedAsync(job);

        Assert.Empty(beforeRelease);
        Assert.Equal(JobStatus.Graded, finished.Response.Status);
        Assert.Equal(5, finished.Response.Grade);
        Assert.Equal(0, await h.PendingCountAsync(ConsumerGroups.Completer(h.HostId)));
        await h.AssertNoContainersLeftAsync();
    }

    [Fact]
    public async Task Complete_ContainerFirstWithMessageHeldBack_CompletesWhenTheMessageArrives()
    {
        await using var h = await CompleterHarness.StartAsync();
        await using var completer = await RunningCompleter.StartAsync(h, output);
        var job = await h.CreateJobAsync(Graded);

        await h.WaitForExitAsync(job);
        await CompleterHarness.WaitUntilAsync(() => completer.Worker.Rendezvous.KnowsFinished(job.ContainerId), "the completer saw the container finish");
        var beforeMessage = await h.ReadFinishedAsync();
        await h.PublishRunningAsync(job);
        var finished = await h.WaitForOneFinishedAsync(job);

        Assert.Empty(beforeMessage);
        Assert.Equal(JobStatus.Graded, finished.Response.Status);
        await h.AssertNoContainersLeftAsync();
    }

    [Fact]
    public async Task Complete_MessageFirstWithSweepOnly_TheSweepFindsTheFinishedContainer()
    {
        await using var h = await CompleterHarness.StartAsync();
        var watcherNeverRuns = new TaskCompletionSource();
        await using var completer = await RunningCompleter.StartAsync(h, output, eventWatcherGate: ct => watcherNeverRuns.Task.WaitAsync(ct));
        var job = await h.CreateJobAsync("sleep 1; " + Graded);

        await h.PublishRunningAsync(job);
        var finished = await h.WaitForOneFinishedAsync(job);

        Assert.Equal(JobStatus.Graded, finished.Response.Status);
        await h.AssertNoContainersLeftAsync();
    }

    [Fact]
    public async Task Complete_BothHappenedBeforeTheCompleterStarted_StartUpSweepAndReadComplete()
    {
        await using var h = await CompleterHarness.StartAsync();
        var job = await h.CreateJobAsync(Graded);
        await h.WaitForExitAsync(job);
        await h.PublishRunningAsync(job);

        await using var completer = await RunningCompleter.StartAsync(h, output);
        var finished = await h.WaitForOneFinishedAsync(job);

        Assert.Equal(JobStatus.Graded, finished.Response.Status);
        await h.AssertNoContainersLeftAsync();
    }

    [Fact]
    public async Task Complete_ManyJobsFinishingAroundTheirMessages_EachCompletesExactlyOnce()
    {
        // The window between: containers finish just before, at, and just after their entries arrive.
        await using var h = await CompleterHarness.StartAsync();
        await using var completer = await RunningCompleter.StartAsync(h, output);
        var jobs = new List<TestJob>();
        for (var i = 0; i < 12; i++)
        {
            jobs.Add(await h.CreateJobAsync($"sleep 0.{i % 4}; echo '{{\"success\":true,\"grade\":{i}}}'"));
        }

        await Task.WhenAll(jobs.Select(async (job, i) =>
        {
            await Task.Delay(i % 3 * 150);
            await h.PublishRunningAsync(job);
        }));
        var finished = await h.WaitForFinishedAsync(jobs.Count);

        Assert.Equal(jobs.Select(j => j.JobId).Order(), finished.Select(f => f.JobId).Order());
        Assert.All(finished, f => Assert.Equal(JobStatus.Graded, f.Response.Status));
        Assert.Equal(jobs.Select((j, i) => (j.JobId, (double)i)).Order(), finished.Select(f => (f.JobId, f.Response.Grade!.Value)).Order());
        await Task.Delay(1000); // late events (destroy after our own removal) must not complete anything twice
        Assert.Equal(jobs.Count, (await h.ReadFinishedAsync()).Count);
        await h.AssertNoContainersLeftAsync();
    }

    [Fact]
    public async Task Sweep_FinishedContainerWhoseEntryNeverComes_IsRemovedAfterTheGraceWithoutAResult()
    {
        await using var h = await CompleterHarness.StartAsync();
        await using var completer = await RunningCompleter.StartAsync(h, output, h.Settings(s => s with { OrphanGrace = TimeSpan.FromSeconds(1) }));
        var job = await h.CreateJobAsync(Graded);
        await h.WaitForExitAsync(job);

        await CompleterHarness.WaitUntilAsync(() => completer.Worker.Rendezvous.KnowsFinished(job.ContainerId), "the completer saw it finish");
        var until = DateTime.UtcNow.AddSeconds(15);
        while ((await h.Docker.ListContainersAsync([ContainerLabels.ManagedFilter(h.Prefix)])).Count > 0 && DateTime.UtcNow < until)
        {
            await Task.Delay(100);
        }

        Assert.Empty(await h.ReadFinishedAsync());
        await h.AssertNoContainersLeftAsync();
    }

    [Fact]
    public async Task Read_EntryOfAnotherDockerHost_IsAcknowledgedUntouched()
    {
        await using var h = await CompleterHarness.StartAsync();
        await using var completer = await RunningCompleter.StartAsync(h, output);
        var job = await h.CreateJobAsync("sleep 30", start: false);

        await h.PublishRunningAsync(job with { Running = job.Running with { DockerHost = "another-host" } });
        var group = ConsumerGroups.Completer(h.HostId);
        var until = DateTime.UtcNow.AddSeconds(10);
        while (await h.PendingCountAsync(group) > 0 || !(await h.Redis.CliAsync("XINFO", "GROUPS", h.Streams.Running)).Stdout.Contains("entries-read\n1", StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < until, "the entry was not read and acknowledged");
            await Task.Delay(100);
        }

        Assert.Equal("created", (await h.Docker.InspectContainerAsync(job.ContainerId)).State.Status);
        Assert.Empty(await h.ReadFinishedAsync());
        await h.Docker.RemoveContainerAsync(job.ContainerId); // the other host's (in this test, ours to clean up)
        await h.AssertNoContainersLeftAsync();
    }

    [Fact]
    public async Task Renew_EntryHeldWhileItsContainerRuns_NoOtherCompleterOfTheHostTakesItOver()
    {
        // Two completers of one host share its group; the entry outlives COMPLETER_RECLAIM_IDLE (the harness's 3 s) three
        // times over. Not 1 s: a fresh-clone run saw a loaded machine hold up a renewal (every third of it) past two
        // thirds of a second, and the other completer rightly took over what looked like a dead one's entry.
        await using var h = await CompleterHarness.StartAsync();
        var settings = h.Settings();
        await using var first = await RunningCompleter.StartAsync(h, output, settings with { ConsumerName = "first" }, name: "first");
        await using var second = await RunningCompleter.StartAsync(h, output, settings with { ConsumerName = "second" }, name: "second");
        var job = await h.CreateJobAsync("sleep 10; " + Graded);
        var entryId = await h.PublishRunningAsync(job);

        var owner = await h.WaitUntilHeldAsync(entryId); // "first" or "second"
        var owners = new HashSet<string>();
        while ((await h.ReadFinishedAsync()).Count == 0)
        {
            var pending = await h.Redis.CliAsync("XPENDING", h.Streams.Running, ConsumerGroups.Completer(h.HostId), "-", "+", "10");
            owners.UnionWith(pending.Stdout.Split('\n').Where(l => l is "first" or "second"));
            await Task.Delay(100);
        }

        var finished = await h.WaitForOneFinishedAsync(job);
        Assert.Equal([owner], owners);
        Assert.Equal(JobStatus.Graded, finished.Response.Status);
        await h.AssertNoContainersLeftAsync();
    }
}
