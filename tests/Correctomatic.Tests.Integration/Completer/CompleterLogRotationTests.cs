using System.Globalization;
using Correctomatic.Shared.Contracts;
using Correctomatic.Starter;
using Xunit.Abstractions;

namespace Correctomatic.Tests.Integration.Completer;

/// <summary>
/// Output over OUTPUT_LIMIT is output_limit whatever the engine's log rotation drops (issue #14). The containers get the
/// log the starter gives them (ContainerLogPolicy): json-file, two files of the smallest max-size for the cap.
/// </summary>
public sealed class CompleterLogRotationTests(ITestOutputHelper output)
{
    private const int MegaByte = 1024 * 1024;

    private async Task<FinishedJob> RunAsync(string script, int outputLimit)
    {
        await using var h = await CompleterHarness.StartAsync();
        await using var completer = await RunningCompleter.StartAsync(h, output, h.Settings(s => s with { OutputLimitBytes = outputLimit }));
        var sandbox = new SandboxSettings { LogMaxSize = ContainerLogPolicy.MinMaxSizeBytes(outputLimit).ToString(CultureInfo.InvariantCulture) };
        var job = await h.CreateJobAsync(script, timeout: TimeSpan.FromMinutes(2), logConfig: ContainerLogPolicy.LogConfig(sandbox));
        await h.PublishRunningAsync(job);
        var finished = await h.WaitForOneFinishedAsync(job, TimeSpan.FromMinutes(2));
        await h.AssertNoContainersLeftAsync();
        return finished;
    }

    [Theory]
    [InlineData(12)]
    [InlineData(200)]
    public async Task Complete_MegabytesOnStdoutThenAResponse_OutputLimit(int megabytes)
    {
        // 200 MB rotates the 144 MiB log once: the full file before the current one still holds more than the cap.
        var finished = await RunAsync(
            $"head -c {megabytes * MegaByte} /dev/zero | tr '\\0' x; echo; echo '{{\"success\":true,\"grade\":1}}'", MegaByte);

        Assert.Equal(JobStatus.OutputLimit, finished.Response.Status);
        Assert.Equal($"the grader printed more than {MegaByte} bytes on stdout", finished.Response.Error);
    }

    [Fact]
    public async Task Complete_NewlineFloodThatRotatesTheLogManyTimes_OutputLimit()
    {
        // The worst case for rotation: one byte printed is a whole 71-byte JSON line. 60,000 newlines are 4 MB of log,
        // fifteen rotations of a 272 KiB max-size (the size for a 1 KiB cap); with one file, the tail left after the
        // last one could be shorter than the cap and the response after it read as the verdict.
        var finished = await RunAsync(
            "i=0; while [ $i -lt 60 ]; do head -c 1000 /dev/zero | tr '\\0' '\\n'; i=$((i+1)); done; echo '{\"success\":true,\"grade\":1}'", 1024);

        Assert.Equal(JobStatus.OutputLimit, finished.Response.Status);
        Assert.Equal("the grader printed more than 1024 bytes on stdout", finished.Response.Error);
    }
}
