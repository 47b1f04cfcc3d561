using System.Text.Json;
using Correctomatic.Tests.Integration.Dashboard;
using Correctomatic.Tests.Integration.Infrastructure;
using Correctomatic.Tests.Integration.Pipeline;

namespace Correctomatic.Tests.Integration.Cli;

/// <summary>
/// <c>status --watch --json</c> (issue #16) following jobs through the whole real pipeline (the three services, the
/// engine, a verifying receiver): it prints a line per change and ends by itself at the final state.
/// </summary>
public sealed class StatusWatchPipelineTests
{
    private static readonly string[] s_order = ["pending", "starting", "running", "finished", "delivered", "dead"];

    [Fact]
    public async Task StatusWatch_JobThroughThePipeline_FollowsItToDeliveredWithItsVerdict()
    {
        await using var pipeline = await PipelineHarness.StartAsync();
        // Long enough for the CLI's own start (a dotnet process: seconds on a loaded machine, and a CI run once missed a
        // 2 s run entirely) to see the job running.
        var jobId = await pipeline.SubmitAsync(pipeline.Job(DockerEngine.ShellGraderImage, "sleep 10; echo hello\n", "EXPECTED=hello"));

        var watch = await WatchAsync(pipeline, jobId);
        var callback = await pipeline.WaitForCallbackAsync(jobId, TimeSpan.FromSeconds(60));

        var states = watch.Select(s => s.GetProperty("state").GetString()!).ToList();
        Assert.Contains("running", states);
        Assert.Equal("delivered", states[^1]);
        Assert.Equal(states.OrderBy(s => Array.IndexOf(s_order, s)), states); // never back to an earlier stage
        var last = watch[^1];
        Assert.True(last.GetProperty("final").GetBoolean());
        Assert.Equal("graded", last.GetProperty("verdict").GetProperty("status").GetString());
        Assert.Equal(callback.Grade, last.GetProperty("verdict").GetProperty("grade").GetDouble());
        Assert.Equal(callback.Timings!.StartedAt, last.GetProperty("timings").GetProperty("started_at").GetDateTimeOffset());
        Assert.Equal(callback.Timings!.FinishedAt, last.GetProperty("timings").GetProperty("finished_at").GetDateTimeOffset());
        var running = watch.First(s => s.GetProperty("state").GetString() == "running");
        Assert.StartsWith($"running on host {pipeline.Settings["DOCKER_HOST_ID"]} in container ", running.GetProperty("summary").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StatusWatch_CallbackNobodyTakes_EndsDeadWithTheAttempts()
    {
        await using var pipeline = await PipelineHarness.StartAsync(new Dictionary<string, string> { ["CALLBACK_MAX_ATTEMPTS"] = "2" });
        await using var nobody = new TcpForwarder(); // a loopback port nothing listens on
        var job = pipeline.Job(DockerEngine.ShellGraderImage, "echo hello\n", "EXPECTED=hello") with { Callback = $"http://127.0.0.1:{nobody.Port}/callbacks" };
        var jobId = await pipeline.SubmitAsync(job);

        var last = (await WatchAsync(pipeline, jobId))[^1];

        Assert.Equal("dead", last.GetProperty("state").GetString());
        Assert.Equal("graded", last.GetProperty("verdict").GetProperty("status").GetString());
        Assert.Equal(2, last.GetProperty("callback").GetProperty("attempts").GetArrayLength());
        Assert.Equal(pipeline.Streams.Finished, Assert.Single(last.GetProperty("dead").EnumerateArray()).GetProperty("source").GetString());
    }

    /// <summary>Runs <c>status JOB --watch --json</c> until it ends by itself; each line it printed, parsed.</summary>
    private static async Task<IReadOnlyList<JsonElement>> WatchAsync(PipelineHarness pipeline, string jobId)
    {
        var settings = new Dictionary<string, string>
        {
            ["REDIS_URL"] = pipeline.Settings["REDIS_URL"], ["QUEUE_PREFIX"] = pipeline.Prefix, ["DOCKER_HOST"] = pipeline.Settings["DOCKER_HOST"],
        };
        var run = await CliProcess.RunAsync(settings, null, "status", jobId, "--watch", "--json", "--interval", "200ms");

        Assert.True(run.ExitCode == 0, run.Describe() + "\n" + pipeline.Log.Tail());
        return run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => { using var d = JsonDocument.Parse(line); return d.RootElement.Clone(); }).ToList();
    }
}
