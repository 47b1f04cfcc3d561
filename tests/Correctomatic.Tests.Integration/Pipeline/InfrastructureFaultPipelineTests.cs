using Correctomatic.Shared.Contracts;
using Correctomatic.Tests.Integration.Infrastructure;

namespace Correctomatic.Tests.Integration.Pipeline;

/// <summary>
/// A grader killed by something other than our deadline or the OOM killer (here: an operator's <c>docker kill -s KILL</c>)
/// is an infrastructure fault (issue #15): the job runs again under the same job id, up to COMPLETER_INFRA_RETRIES
/// times, and only then completes with status error naming the cause. One callback either way.
/// </summary>
public sealed class InfrastructureFaultPipelineTests
{
    private const string Image = DockerEngine.ShellGraderImage;

    [Fact]
    public async Task Pipeline_GraderKilledOnceFromOutside_RunsAgainAndIsGradedOnce()
    {
        await using var pipeline = await PipelineHarness.StartAsync();
        var jobId = await pipeline.SubmitAsync(pipeline.Job(Image, "sleep 3; echo hello\n", "EXPECTED=hello"));

        await KillRunningContainerAsync(pipeline, jobId, new HashSet<string>());
        var result = await pipeline.WaitForCallbackAsync(jobId, TimeSpan.FromSeconds(90));

        Assert.True(result.Status == JobStatus.Graded, result.Error);
        Assert.Equal(10, result.Grade);
        Assert.Equal(jobId, result.JobId);
        await AssertSettledAsync(pipeline, jobId);
    }

    [Fact]
    public async Task Pipeline_GraderKilledEveryAttempt_ErrorNamingTheCauseAfterTheRetries()
    {
        await using var pipeline = await PipelineHarness.StartAsync();
        var jobId = await pipeline.SubmitAsync(pipeline.Job(Image, "sleep 30; echo hello\n", "EXPECTED=hello"));

        var killed = new HashSet<string>(StringComparer.Ordinal);
        for (var attempt = 1; attempt <= 3; attempt++) // the first run and COMPLETER_INFRA_RETRIES=2 (the default) reruns
        {
            killed.Add(await KillRunningContainerAsync(pipeline, jobId, killed));
        }

        var result = await pipeline.WaitForCallbackAsync(jobId, TimeSpan.FromSeconds(90));

        Assert.Equal(JobStatus.Error, result.Status);
        Assert.False(result.Success);
        Assert.Contains("SIGKILL", result.Error, StringComparison.Ordinal);
        Assert.Contains("after 3 attempts (COMPLETER_INFRA_RETRIES=2)", result.Error, StringComparison.Ordinal);
        await AssertSettledAsync(pipeline, jobId);
    }

    /// <summary>Waits for a running container of the job that is not one of <paramref name="before"/>, and SIGKILLs it.</summary>
    private static async Task<string> KillRunningContainerAsync(PipelineHarness pipeline, string jobId, IReadOnlySet<string> before)
    {
        var until = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var running = (await pipeline.ContainersAsync()).FirstOrDefault(c =>
                c.State == "running" && c.Labels.GetValueOrDefault(ContainerLabels.JobId) == jobId && !before.Contains(c.Id));
            if (running is not null)
            {
                var kill = await DockerEngine.CliAsync("kill", "-s", "KILL", running.Id);
                Assert.True(kill.ExitCode == 0, kill.Describe());
                return running.Id;
            }

            Assert.True(DateTime.UtcNow < until, $"no new running container for job {jobId}; log:\n{pipeline.Log.Tail()}");
            await Task.Delay(100);
        }
    }

    /// <summary>One finished entry and one callback, nothing dead, every group's pending count at 0, and no container of the job left.</summary>
    private static async Task AssertSettledAsync(PipelineHarness pipeline, string jobId)
    {
        var until = DateTime.UtcNow.AddSeconds(30);
        while ((await pipeline.GroupPendingCountsAsync()).Values.Any(v => v > 0) || (await pipeline.ContainersAsync()).Count > 0)
        {
            Assert.True(DateTime.UtcNow < until,
                $"not settled: pending {string.Join(", ", (await pipeline.GroupPendingCountsAsync()).Select(kv => kv.Key + "=" + kv.Value))}, containers {(await pipeline.ContainersAsync()).Count}");
            await Task.Delay(100);
        }

        Assert.Equal(1, pipeline.CallbackCount(jobId));
        Assert.Empty(await pipeline.DeadLettersAsync());
        Assert.Equal(1, await pipeline.Client.XLenAsync(pipeline.Streams.Finished));
    }
}
