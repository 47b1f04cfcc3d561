using Correctomatic.Shared.Contracts;
using Correctomatic.Shared.Docker;
using Xunit.Abstractions;

namespace Correctomatic.Tests.Integration.Completer;

/// <summary>Faults that are the job's, not the infrastructure's: each gives one verdict, never a retry forever (issue #15).</summary>
public sealed class CompleterFaultTests(ITestOutputHelper output)
{
    // A busybox loop that prints n opening then n closing brackets (3,000 deep: past every JSON reader's default depth).
    private const string Deep = "i=0; while [ $i -lt 3000 ]; do printf '['; i=$((i+1)); done; i=0; while [ $i -lt 3000 ]; do printf ']'; i=$((i+1)); done";

    public static TheoryData<string, string> Unwritable() => new()
    {
        { """printf '%s' '{"success":true,"comments":["\ud800"]}'""", "holds a lone UTF-16 surrogate" },
        { """printf '%s' '{"success":true,"grade":1e400}'""", "beyond the range of a double" },
        { """printf '{"success":true,"tests":'; """ + Deep + "; printf '}'", "nested deeper than 63 levels" },
    };

    [Theory]
    [MemberData(nameof(Unwritable))]
    public async Task Complete_ResponseThatCannotBeWritten_OneInvalidOutputAndTheContainerRemoved(string script, string reason)
    {
        await using var h = await CompleterHarness.StartAsync();
        await using var completer = await RunningCompleter.StartAsync(h, output, h.Settings());
        var job = await h.CreateJobAsync(script);
        await h.PublishRunningAsync(job);

        var finished = await h.WaitForOneFinishedAsync(job);

        Assert.Equal(JobStatus.InvalidOutput, finished.Response.Status);
        Assert.StartsWith("the response cannot be written as JSON: ", finished.Response.Error, StringComparison.Ordinal);
        Assert.Contains(reason, finished.Response.Error, StringComparison.Ordinal);
        await h.AssertNoContainersLeftAsync();
        Assert.Equal(0, await h.PendingCountAsync(ConsumerGroups.Completer(h.HostId)));
        await Task.Delay(TimeSpan.FromSeconds(1.5)); // three sweeps: a retry would add a second entry
        Assert.Single(await h.ReadFinishedAsync());
    }

    [Fact]
    public async Task Complete_OutputTheEngineCannotRead_ErrorWithTheReasonAfterTheBound()
    {
        // A real engine fault tied to one job: its log driver keeps nothing to read ("none"), so every read of its output
        // fails with a 501 from the engine. Before, the sweep retried it forever; now it completes with error after the bound.
        await using var h = await CompleterHarness.StartAsync();
        await using var completer = await RunningCompleter.StartAsync(h, output, h.Settings(s => s with { MaxCompletionAttempts = 3 }));
        var job = await h.CreateJobAsync("""echo '{"success":true,"grade":1}'""",
            logConfig: new LogConfig("none", new Dictionary<string, string>()));
        await h.PublishRunningAsync(job);

        var finished = await h.WaitForOneFinishedAsync(job);

        Assert.Equal(JobStatus.Error, finished.Response.Status);
        Assert.Contains("could not complete this job in 3 attempts (COMPLETER_MAX_COMPLETION_ATTEMPTS=3); last error:", finished.Response.Error, StringComparison.Ordinal);
        await h.AssertNoContainersLeftAsync();
        Assert.Equal(0, await h.PendingCountAsync(ConsumerGroups.Completer(h.HostId)));
    }
}
