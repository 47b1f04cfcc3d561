using Correctomatic.Shared.Contracts;
using Xunit.Abstractions;

namespace Correctomatic.Tests.Integration.Completer;

/// <summary>The real service killed -9 while its containers finish, then started again (issue #6).</summary>
public sealed class CompleterRestartTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Complete_CompleterKilledWhileContainersFinish_EveryJobCompletesOnceAfterRestart()
    {
        await using var h = await CompleterHarness.StartAsync();
        var group = ConsumerGroups.Completer(h.HostId);
        var jobs = new List<TestJob>();
        await using (var first = await CompleterProcess.StartAsync(h, output, "completer-1", new Dictionary<string, string> { ["Logging__LogLevel__Default"] = "Debug" }))
        {
            // Each entry right after its container, as a starter hands off: created all first, the first containers
            // outlived the orphan grace (3 s) on a loaded machine before their entries came, and were removed as orphans.
            // The last naps 10 s, so the kill comes while it runs however slow the machine (run 11: all six were done).
            for (var i = 0; i < 6; i++)
            {
                var job = await h.CreateJobAsync($"sleep {(i == 5 ? 10 : 1 + (i % 3))}; echo '{{\"success\":true,\"grade\":{i}}}'");
                await h.PublishRunningAsync(job);
                jobs.Add(job);
            }

            // Every entry delivered to the first completer and held (un-acknowledged) while its container runs.
            var until = DateTime.UtcNow.AddSeconds(20);
            while (await h.PendingCountAsync(group) + (await h.ReadFinishedAsync()).Count < jobs.Count)
            {
                Assert.True(DateTime.UtcNow < until, "the first completer did not read the entries");
                await Task.Delay(50);
            }

            await first.KillAsync();
        }

        var completedBeforeKill = (await h.ReadFinishedAsync()).Count;
        foreach (var job in jobs)
        {
            await h.WaitForExitAsync(job); // finishing while no completer runs
        }

        await using var second = await CompleterProcess.StartAsync(h, output, "completer-2", new Dictionary<string, string> { ["Logging__LogLevel__Default"] = "Debug" });
        var finished = await h.WaitForFinishedAsync(jobs.Count, TimeSpan.FromSeconds(40));

        output.WriteLine($"{completedBeforeKill} of {jobs.Count} completed before the kill");
        foreach (var f in finished)
        {
            output.WriteLine($"{f.JobId}: {f.Response.Status} {f.Response.Error}");
        }

        Assert.True(completedBeforeKill < jobs.Count, "the kill came too late to test anything");
        Assert.Equal(jobs.Select(j => j.JobId).Order(), finished.Select(f => f.JobId).Order());
        Assert.All(finished, f => Assert.Equal(JobStatus.Graded, f.Response.Status));
        await Task.Delay(1500); // a second completion would show up here
        Assert.Equal(jobs.Count, (await h.ReadFinishedAsync()).Count);
        Assert.Equal(0, await h.PendingCountAsync(group));
        await h.AssertNoContainersLeftAsync();
    }
}
