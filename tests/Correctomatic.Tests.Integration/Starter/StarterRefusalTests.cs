using System.Text.Json;
using Correctomatic.Shared.Contracts;
using Correctomatic.Shared.Redis;
using Correctomatic.Tests.Integration.Infrastructure;

namespace Correctomatic.Tests.Integration.Starter;

/// <summary>Limits out of range and params that hijack the grader: each job rejected once, naming what to fix (issue #14).</summary>
public sealed class StarterRefusalTests(StarterFixture fixture) : IClassFixture<StarterFixture>
{
    private static string JobWith(string extra) =>
        $$"""{"image":"{{DockerEngine.ShellGraderImage}}","callback":"http://a.local/cb","file_content":"eA=={{(extra.Length > 0 ? "\"," + extra : "\"")}}}""";

    /// <summary>Pushes every job, waits for as many finished entries, and checks each job got exactly one, rejected, with its message.</summary>
    private async Task AssertEachRejectedOnceAsync(IReadOnlyList<(string Data, string Message)> jobs)
    {
        await using var harness = await StarterHarness.CreateAsync(fixture);
        await harness.StartWorkerAsync();
        var ids = new List<string>();
        foreach (var (data, _) in jobs)
        {
            ids.Add(await harness.PushAsync(data));
        }

        var finished = await harness.WaitForAsync(harness.Streams.Finished, jobs.Count, TimeSpan.FromSeconds(60));
        await Task.Delay(500); // a second hand-off of any job would show up here
        Assert.Equal(jobs.Count, await harness.Redis.XLenAsync(harness.Streams.Finished));
        var byJob = finished.Select(f => ContractJson.Deserialize<FinishedJob>(f.Field(StreamFields.Data)!)).ToLookup(f => f.JobId);
        for (var i = 0; i < jobs.Count; i++)
        {
            var result = Assert.Single(byJob[ids[i]]).Response;
            Assert.True(result.Status == JobStatus.Rejected, $"{jobs[i].Data}: {result.Status} {result.Error}");
            Assert.True(result.Error?.Contains(jobs[i].Message, StringComparison.Ordinal) == true, $"{jobs[i].Data}: '{result.Error}' does not name '{jobs[i].Message}'");
        }

        Assert.Equal(0, await harness.Redis.XLenAsync(harness.Streams.Running));
        Assert.Equal(0, await harness.Redis.XLenAsync(harness.Streams.Dead));
        Assert.Equal(0, (await harness.Redis.ExecuteAsync(["XPENDING", harness.Streams.Pending, ConsumerGroups.Starter]))[0].AsInt64());
    }

    [Fact]
    public async Task Worker_LimitsOutOfRange_EachRejectedOnceNamingTheField()
    {
        string Limits(string json) => JobWith($"\"limits\":{json}");
        await AssertEachRejectedOnceAsync(
        [
            (Limits("""{"timeout_seconds":1e15}"""), "timeout_seconds=1E+15 exceeds the maximum 600"),
            (Limits("""{"timeout_seconds":1e400}"""), "timeout_seconds"),
            (Limits("""{"timeout_seconds":-1}"""), "timeout_seconds"),
            (Limits("""{"timeout_seconds":0}"""), "timeout_seconds"),
            (Limits("""{"timeout_seconds":1e-9}"""), "timeout_seconds=1E-09 is below the minimum 0.001s"),
            (Limits("""{"memory_mb":1000000000000000}"""), "memory_mb=1000000000000000 exceeds the maximum 1024"),
            (Limits("""{"memory_mb":1e15}"""), "memory_mb"),
            (Limits("""{"memory_mb":-1}"""), "memory_mb"),
            (Limits("""{"memory_mb":0}"""), "memory_mb"),
            (Limits("""{"memory_mb":99999999999999999999999}"""), "memory_mb"),
            (Limits("""{"cpus":1e-6}"""), "cpus=1E-06 is below the kernel's floor of 0.01"),
            (Limits("""{"cpus":0.0001}"""), "cpus=0.0001 is below the kernel's floor of 0.01"),
            (Limits("""{"cpus":1e15}"""), "cpus=1E+15 exceeds the maximum 2"),
            (Limits("""{"cpus":1e400}"""), "cpus"),
            (Limits("""{"cpus":-1}"""), "cpus"),
            (Limits("""{"cpus":0}"""), "cpus"),
            (Limits("""{"pids":1000000000000000}"""), "pids=1000000000000000 exceeds the maximum 512"),
            (Limits("""{"pids":-1}"""), "pids"),
            (Limits("""{"pids":0}"""), "pids"),
        ]);
    }

    [Fact]
    public async Task Worker_ParamThatHijacksTheGrader_EachRejectedOnceNamingTheParam()
    {
        string[] names =
        [
            "LD_PRELOAD", "LD_LIBRARY_PATH", "LD_AUDIT", "NODE_OPTIONS", "NODE_PATH", "PYTHONPATH", "PYTHONSTARTUP", "PYTHONHOME",
            "PERL5OPT", "PERL5LIB", "PERLLIB", "RUBYOPT", "RUBYLIB", "BASH_ENV", "ENV", "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS",
            "JDK_JAVA_OPTIONS", "DOTNET_STARTUP_HOOKS", "CORECLR_PROFILER", "PATH", "HOME", "HOSTNAME",
        ];

        await AssertEachRejectedOnceAsync(names
            .Select(n => (JobWith("\"params\":" + JsonSerializer.Serialize(new[] { "EXPECTED=hi", n + "=/tmp/exercise" })), $"params[1]: {n} is "))
            .ToList());
    }
}
