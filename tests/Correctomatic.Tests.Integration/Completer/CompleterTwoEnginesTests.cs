using Correctomatic.Shared.Contracts;
using Xunit.Abstractions;

namespace Correctomatic.Tests.Integration.Completer;

/// <summary>Two Docker engines on one machine, one completer each, one Redis: each job completes once, on its own host (issue #6).</summary>
public sealed class CompleterTwoEnginesTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Complete_TwoHostsSharingOneRunningStream_EachJobOnceOnItsOwnHost()
    {
        await using var second = await SecondDockerEngine.StartAsync();
        await using var a = await CompleterHarness.StartAsync(hostId: "engine-a");
        await using var b = await CompleterHarness.StartAsync(second.Host, a.Redis, a.Prefix, hostId: "engine-b");
        await using var completerA = await RunningCompleter.StartAsync(a, output, name: "completer-a");
        await using var completerB = await RunningCompleter.StartAsync(b, output, name: "completer-b");

        var jobs = new List<(TestJob Job, string Host)>();
        for (var i = 0; i < 4; i++)
        {
            jobs.Add((await a.CreateJobAsync($"sleep 0.{i}; echo '{{\"success\":true,\"grade\":{i},\"comments\":[\"a\"]}}'"), "a"));
            jobs.Add((await b.CreateJobAsync($"sleep 0.{i}; echo '{{\"success\":true,\"grade\":{i},\"comments\":[\"b\"]}}'"), "b"));
        }

        foreach (var (job, host) in jobs)
        {
            await (host == "a" ? a : b).PublishRunningAsync(job);
        }

        var finished = await a.WaitForFinishedAsync(jobs.Count);

        // Graded (not "error: container disappeared") means the container was read on the engine that ran it.
        Assert.Equal(jobs.Select(j => j.Job.JobId).Order(), finished.Select(f => f.JobId).Order());
        foreach (var (job, host) in jobs)
        {
            var result = Assert.Single(finished, f => f.JobId == job.JobId).Response;
            Assert.Equal(JobStatus.Graded, result.Status);
            Assert.Equal([host], result.Comments);
        }

        Assert.Equal(0, await a.PendingCountAsync(ConsumerGroups.Completer("engine-a")));
        Assert.Equal(0, await a.PendingCountAsync(ConsumerGroups.Completer("engine-b")));
        await a.AssertNoContainersLeftAsync();
        await b.AssertNoContainersLeftAsync();
    }
}
