using Correctomatic.Shared.Contracts;
using Xunit.Abstractions;

namespace Correctomatic.Tests.Integration.Completer;

/// <summary>Runs alone, so the bytes allocated in this process during the test are the completer's (and the test's).</summary>
[CollectionDefinition(nameof(AllocationMeasurement), DisableParallelization = true)]
public sealed class AllocationMeasurement;

[Collection(nameof(AllocationMeasurement))]
public sealed class CompleterOutputLimitTests(ITestOutputHelper output)
{
    private const int MegaByte = 1024 * 1024;

    [Fact]
    public async Task Complete_FiftyMegabytesWithAOneMegabyteCap_OutputLimitWithBoundedMemory()
    {
        await using var h = await CompleterHarness.StartAsync();
        await using var completer = await RunningCompleter.StartAsync(h, output, h.Settings(s => s with { OutputLimitBytes = MegaByte }));
        var job = await h.CreateJobAsync("head -c 52428800 /dev/zero | tr '\\0' x; echo; echo '{\"success\":true,\"grade\":1}'");
        await h.WaitForExitAsync(job);

        var before = GC.GetTotalAllocatedBytes(precise: true);
        await h.PublishRunningAsync(job);
        var finished = await h.WaitForOneFinishedAsync(job, TimeSpan.FromSeconds(60));
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        output.WriteLine($"allocated while completing 50 MB of output with a 1 MB cap: {allocated / (double)MegaByte:0.0} MB");

        Assert.Equal(JobStatus.OutputLimit, finished.Response.Status);
        Assert.Equal($"the grader printed more than {MegaByte} bytes on stdout", finished.Response.Error);
        Assert.True(allocated < 16L * MegaByte, $"allocated {allocated} bytes while reading 50 MB capped at 1 MB");
        await h.AssertNoContainersLeftAsync();
    }
}
