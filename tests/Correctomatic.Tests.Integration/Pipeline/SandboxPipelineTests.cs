using Correctomatic.Shared.Contracts;

namespace Correctomatic.Tests.Integration.Pipeline;

/// <summary>
/// Issue #14's hostile submissions through the whole pipeline, under runc and under gVisor (CONTAINER_RUNTIME): each
/// gets its right verdict — timeout, out_of_memory, output_limit — a fork bomb stays inside its pids limit (under gVisor
/// it kills the sandbox itself), there is no network to probe, and /tmp stops a 600 MiB write at tmp_mb. The submission is the
/// grader here (<see cref="SandboxPipelineFixture.Runner"/>), so nothing but the sandbox stands in its way.
/// </summary>
public sealed class SandboxPipelineTests(SandboxPipelineFixture fixture) : IClassFixture<SandboxPipelineFixture>
{
    public static TheoryData<string> Runtimes => new() { "runc", "runsc" };

    private async Task<PipelineCallback> RunAsync(string runtime, string script, JobLimits? limits = null)
    {
        var harness = await fixture.HarnessAsync(runtime);
        return await harness.RunAsync(harness.Job(fixture.Runner, script) with { Limits = limits }, TimeSpan.FromSeconds(90));
    }

    private static string Respond(string comment) => $"echo \"{{\\\"success\\\":true,\\\"grade\\\":0,\\\"comments\\\":[\\\"{comment}\\\"]}}\"\n";

    [Theory]
    [MemberData(nameof(Runtimes))]
    public async Task Sandbox_InfiniteLoop_Timeout(string runtime)
    {
        var callback = await RunAsync(runtime, "while :; do :; done\n", new JobLimits { TimeoutSeconds = 3 });

        Assert.True(callback.Result.Status == JobStatus.Timeout, callback.Body);
    }

    [Theory]
    [MemberData(nameof(Runtimes))]
    public async Task Sandbox_MemoryHog_OutOfMemory(string runtime)
    {
        // tail keeps the last lines, and /dev/zero has no line end: it holds everything it reads.
        var callback = await RunAsync(runtime, "tail /dev/zero\n", new JobLimits { MemoryMb = 32, TimeoutSeconds = 30 });

        Assert.True(callback.Result.Status == JobStatus.OutOfMemory, callback.Body);
    }

    [Theory]
    [MemberData(nameof(Runtimes))]
    public async Task Sandbox_TwelveMegabytesOnStdout_OutputLimit(string runtime)
    {
        var callback = await RunAsync(runtime, "head -c 12000000 /dev/zero | tr '\\0' a\n" + Respond("done"));

        Assert.True(callback.Result.Status == JobStatus.OutputLimit, callback.Body);
    }

    [Fact]
    public async Task Sandbox_ForkBombUnderRunc_HeldByThePidsLimitUntilTheTimeout()
    {
        // The bomb, started from a subshell, keeps every pid it can get; the runner's shell then spins without forking
        // (a shell whose fork fails exits 2), so only the job's timeout ends it.
        var callback = await RunAsync("runc", Bomb, new JobLimits { TimeoutSeconds = 5 });

        Assert.True(callback.Result.Status == JobStatus.Timeout, callback.Body);
    }

    /// <summary>
    /// Under gVisor the pids cgroup counts the sandbox's own host threads: the bomb takes them all and the sentry dies
    /// (exit 2) at JOB_PIDS 128, 256 or 1024 — a failure verdict, never a grade, long before the timeout. At 4096 it
    /// survives, and its thousands of threads starved the engine on this 2-core machine (the Completer's calls timed
    /// out): the low limit is the safe one (README "gVisor").
    /// </summary>
    [Fact]
    public async Task Sandbox_ForkBombUnderRunsc_SandboxDiesWithAFailureVerdict()
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var callback = await RunAsync("runsc", Bomb, new JobLimits { TimeoutSeconds = 20 });

        Assert.True(callback.Result.Status is JobStatus.InvalidOutput or JobStatus.Timeout, callback.Body);
        Assert.False(callback.Result.Success);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), $"{watch.Elapsed}");
    }

    private const string Bomb = "( b() { b | b & }; b ) 2>/dev/null &\nwhile :; do :; done\n";

    [Theory]
    [MemberData(nameof(Runtimes))]
    public async Task Sandbox_NetworkProbe_NothingButLoopback(string runtime)
    {
        var callback = await RunAsync(runtime,
            "if wget -q -T 2 -O /dev/null http://1.1.1.1/ 2>/dev/null || nc -w 2 8.8.8.8 53 </dev/null 2>/dev/null; then out=reached; else out=unreachable; fi\n"
            + "n=$(ls /sys/class/net 2>/dev/null | grep -vc '^lo$')\n" + Respond("$out interfaces=$n"));

        Assert.True(callback.Result.Status == JobStatus.Graded, callback.Body);
        Assert.Equal(["unreachable interfaces=0"], callback.Result.Comments);
    }

    [Theory]
    [MemberData(nameof(Runtimes))]
    public async Task Sandbox_SixHundredMebibyteWrite_StoppedAtTmpMb(string runtime)
    {
        var callback = await RunAsync(runtime, "dd if=/dev/zero of=/tmp/fill bs=1M count=600 2>/dev/null\n" + Respond("size=$(wc -c < /tmp/fill)"),
            new JobLimits { TmpMb = 16, MemoryMb = 256 });

        Assert.True(callback.Result.Status == JobStatus.Graded, callback.Body);
        var size = long.Parse(Assert.Single(callback.Result.Comments!)["size=".Length..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(size, 15L << 20, 16L << 20);
    }
}
