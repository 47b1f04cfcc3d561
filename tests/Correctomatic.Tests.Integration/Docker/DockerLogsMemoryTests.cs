using System.Diagnostics;
using Xunit.Abstractions;
using Correctomatic.Shared.Docker;

namespace Correctomatic.Tests.Integration.Docker;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryMeasuredCollection
{
    /// <summary>Runs alone, so what the process allocates meanwhile is ours to measure.</summary>
    public const string Name = "Docker memory measured";
}

/// <summary>A container that prints far more than the cap: we stop reading at the cap, so memory stays flat (issue #4).</summary>
[Collection(MemoryMeasuredCollection.Name)]
public sealed class DockerLogsMemoryTests(ITestOutputHelper output)
{
    private const int Printed = 50 * 1024 * 1024;
    private const int Cap = 1024 * 1024;
    private const string Line = "0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz";

    [Fact]
    public async Task GetLogs_FiftyMegabytesPrintedWithOneMegabyteCap_TruncatesAndAllocatesLittle()
    {
        await using var run = await DockerTestRun.StartAsync();
        var (id, exitCode) = await run.RunAsync(run.Spec($"yes {Line} | head -c {Printed}"), TimeSpan.FromMinutes(2));
        var (tenthId, _) = await run.RunAsync(run.Spec($"yes {Line} | head -c {Printed / 10}"), TimeSpan.FromMinutes(2));
        await run.Client.GetLogsAsync(id, 1024); // warm up: JIT and the connection pool are not the measured thing

        GC.Collect();
        GC.WaitForPendingFinalizers();
        using var process = Process.GetCurrentProcess();
        var workingSetBefore = process.WorkingSet64;
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var logs = await run.Client.GetLogsAsync(id, Cap);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        process.Refresh();
        var workingSetGrowth = process.WorkingSet64 - workingSetBefore;
        var tenthBefore = GC.GetTotalAllocatedBytes(precise: true);
        await run.Client.GetLogsAsync(tenthId, Cap);
        var allocatedForATenth = GC.GetTotalAllocatedBytes(precise: true) - tenthBefore;

        output.WriteLine($"capped read of {Printed:N0} printed bytes: allocated {allocated:N0} bytes ({allocatedForATenth:N0} for a tenth of it), "
            + $"working set +{workingSetGrowth:N0} bytes");
        Assert.Equal(0, exitCode);
        Assert.Equal(Cap, logs.Stdout.Length);
        Assert.True(logs.StdoutTruncated);
        Assert.Empty(logs.Stderr);
        Assert.False(logs.StderrTruncated);
        Assert.True(logs.Stdout.AsSpan().StartsWith("0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz\n0123"u8));
        // Reading stops at the cap, so what is allocated does not grow with what was printed. Within the cap: the kept
        // megabyte copied once, its growth, and Docker.DotNet's MultiplexedStream at ~170 B per frame (a task per read);
        // the engine sends a frame per 73-byte line here, 14,000 of them, and on a loaded machine a frame can take more
        // than one read (seen: 6.4 MB). 50 MB read whole would be 50+, so 8 MB still tells the two apart.
        Assert.True(allocated < 8L * Cap, $"allocated {allocated:N0} bytes while reading capped logs of a {Printed:N0}-byte output");
        Assert.True(allocated < allocatedForATenth * 3 / 2, $"allocated {allocated:N0} bytes for {Printed:N0} printed, {allocatedForATenth:N0} for a tenth");
        Assert.True(workingSetGrowth < 24L * 1024 * 1024, $"working set grew {workingSetGrowth:N0} bytes");
    }
}
