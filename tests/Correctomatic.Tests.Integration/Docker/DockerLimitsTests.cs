using System.Text;
using Correctomatic.Shared.Docker;

namespace Correctomatic.Tests.Integration.Docker;

/// <summary>The sandbox HostConfig we send is the one the container lives in, seen from inside (issue #4; cgroup v1 here).</summary>
public sealed class DockerLimitsTests
{
    [Fact]
    public async Task CreateContainer_MemoryNetworkNoneUlimits_VisibleInside()
    {
        await using var run = await DockerTestRun.StartAsync();
        var spec = run.Spec("read m < /sys/fs/cgroup/memory/memory.limit_in_bytes; echo mem=$m; echo net=$(ls /sys/class/net); echo nofile=$(ulimit -n); "
            + "grep -E '^(CapEff|NoNewPrivs)' /proc/self/status | tr -s '\\t' ' '", new ContainerHostConfig
        {
            MemoryBytes = 64L << 20,
            MemorySwapBytes = 64L << 20,
            NanoCpus = 500_000_000,
            Ulimits = [new Ulimit("nofile", 128, 128)],
        }) with { NetworkDisabled = true };

        var (id, exitCode) = await run.RunAsync(spec);
        var stdout = Encoding.UTF8.GetString((await run.Client.GetLogsAsync(id, 4096)).Stdout);

        Assert.Equal(0, exitCode);
        Assert.Equal($"mem={64L << 20}\nnet=lo\nnofile=128\nCapEff: 0000000000000000\nNoNewPrivs: 1\n", stdout);
    }

    [Fact]
    public async Task CreateContainer_PidsLimit_ForkLoopFailsBeyondIt()
    {
        await using var run = await DockerTestRun.StartAsync();
        const string ForkLoop = "i=0; while [ $i -lt 40 ]; do sleep 2 & i=$((i+1)); done; echo forked $i";

        var (limitedId, limitedExit) = await run.RunAsync(run.Spec(ForkLoop, new ContainerHostConfig { PidsLimit = 10 }));
        var (freeId, freeExit) = await run.RunAsync(run.Spec(ForkLoop, new ContainerHostConfig { PidsLimit = 100 }));
        var limited = await run.Client.GetLogsAsync(limitedId, 4096);
        var free = await run.Client.GetLogsAsync(freeId, 4096);

        Assert.NotEqual(0, limitedExit);
        Assert.Contains("can't fork", Encoding.UTF8.GetString(limited.Stderr), StringComparison.Ordinal);
        Assert.Empty(limited.Stdout);
        Assert.Equal(0, freeExit);
        Assert.Equal("forked 40\n", Encoding.UTF8.GetString(free.Stdout));
    }

    [Fact]
    public async Task CreateContainer_MemoryLimitExceeded_InspectReportsOomKilled()
    {
        await using var run = await DockerTestRun.StartAsync();
        var spec = run.Spec("tail /dev/zero", new ContainerHostConfig { MemoryBytes = 16L << 20, MemorySwapBytes = 16L << 20 });

        // The engine loses the kernel's OOM notice now and then under load (neither the flag nor the event; seen in
        // DockerEventsTests in a fresh-clone run): each container must be killed, and the engine must report one of up
        // to three as OOM-killed.
        var reported = false;
        for (var attempt = 0; attempt < 3 && !reported; attempt++)
        {
            var since = DateTimeOffset.UtcNow.AddSeconds(-1).ToUnixTimeMilliseconds() * 1_000_000;
            var (id, exitCode) = await run.RunAsync(spec);

            Assert.Equal(137, exitCode);
            reported = await DockerEngine.OomKilledAsync(run.Client, id, since);
        }

        Assert.True(reported, "three containers killed for memory, and neither State.OOMKilled nor an oom event for any");
    }
}
