using Correctomatic.Completer;
using Correctomatic.Shared.Contracts;
using Correctomatic.Tests.Integration.Infrastructure;
using Xunit.Abstractions;

namespace Correctomatic.Tests.Integration.Completer;

/// <summary>What graders do in the wild, and what the callback body says about it (issue #6).</summary>
public sealed class CompleterOutcomeTests(ITestOutputHelper output)
{
    private async Task<FinishedJob> RunAsync(string script, TimeSpan? timeout = null, long? memoryMb = null,
        Func<CompleterSettings, CompleterSettings>? tweak = null)
    {
        await using var h = await CompleterHarness.StartAsync();
        await using var completer = await RunningCompleter.StartAsync(h, output, h.Settings(s => tweak is null ? s : tweak(s)));
        var job = await h.CreateJobAsync(script, timeout, memoryMb);
        await h.PublishRunningAsync(job);
        var finished = await h.WaitForOneFinishedAsync(job);
        await h.AssertNoContainersLeftAsync();
        return finished;
    }

    [Fact]
    public async Task Complete_RunsPastItsDeadline_KilledWithStatusTimeout()
    {
        var started = DateTime.UtcNow;

        var finished = await RunAsync("echo started; sleep 60", timeout: TimeSpan.FromSeconds(2));

        Assert.Equal(JobStatus.Timeout, finished.Response.Status);
        Assert.False(finished.Response.Success);
        Assert.Equal(137, finished.Response.ExitCode);
        Assert.Contains("time limit", finished.Response.Error, StringComparison.Ordinal);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(20), "killed near the deadline, not at the end of sleep 60");
    }

    [Fact]
    public async Task Complete_StartedOnlyAfterItsDeadlinePassedWhileCreated_KilledWithStatusTimeout()
    {
        // A starter slowed down between create and start (seen under CI load with a 2 s limit): sweeps find the container
        // still "created" past its deadline and count it finished; then the starter starts it and hands off. The job must
        // not be completed from a container that is still running (that read gave invalid_output with empty stdout).
        await using var h = await CompleterHarness.StartAsync();
        await using var completer = await RunningCompleter.StartAsync(h, output, h.Settings());
        var job = await h.CreateJobAsync("echo started; sleep 60", timeout: TimeSpan.FromSeconds(1), start: false);
        await Task.Delay(TimeSpan.FromSeconds(2)); // past the deadline; the harness sweeps every 500 ms
        await h.Docker.StartContainerAsync(job.ContainerId);
        await h.PublishRunningAsync(job);

        var finished = await h.WaitForOneFinishedAsync(job);

        Assert.Equal(JobStatus.Timeout, finished.Response.Status);
        Assert.Equal(137, finished.Response.ExitCode);
        await h.AssertNoContainersLeftAsync();
    }

    [Fact]
    public async Task Complete_ExceedsItsMemoryLimit_StatusOutOfMemory()
    {
        // A shell variable of 64 MB in a 16 MB container: the kernel's OOM killer ends it. The engine says so by
        // State.OOMKilled or its oom event, or loses the notice now and then under load (seen in fresh-clone runs): then
        // the completer tells it by elimination (no kill through the engine), as the next test shows. One job, every time.
        var finished = await RunAsync("x=$(head -c 67108864 /dev/zero | tr '\\0' a); echo '{\"success\":true,\"grade\":1}'", memoryMb: 16);

        Assert.Equal(JobStatus.OutOfMemory, finished.Response.Status);
        Assert.Contains("out of memory", finished.Response.Error, StringComparison.Ordinal);
        Assert.Equal(137, finished.Response.ExitCode);
    }

    [Fact]
    public async Task Complete_SigkillNotThroughTheEngine_ReadAsTheKernelsOomKill()
    {
        // What a lost OOM notice looks like: exit 137, no OOMKilled flag, no oom event, and no kill event, since the
        // signal did not pass through the engine. Made here by root's kill -9 of the container's process on the engine's
        // host, the one SIGKILL the completer cannot tell from the kernel's (README "Completer").
        await using var h = await CompleterHarness.StartAsync();
        await using var completer = await RunningCompleter.StartAsync(h, output, h.Settings());
        var job = await h.CreateJobAsync("echo started; sleep 60", memoryMb: 16);
        var pid = await ContainerPidAsync(job.ContainerId);
        await h.PublishRunningAsync(job);

        var kill = await ProcessRunner.RunAsync("kill", ["-KILL", pid]);
        Assert.True(kill.ExitCode == 0, kill.Describe());
        var finished = await h.WaitForOneFinishedAsync(job);

        Assert.Equal(JobStatus.OutOfMemory, finished.Response.Status);
        Assert.Equal(137, finished.Response.ExitCode);
        await h.AssertNoContainersLeftAsync();
    }

    [Fact]
    public async Task Complete_SigkillThroughTheEngine_AnInfrastructureFaultNotOutOfMemory()
    {
        // docker kill: the engine logs a kill event before the die, so this SIGKILL is nobody's OOM. The harness's entry
        // carries no pending data to run the job again, so the fault ends as error naming it.
        await using var h = await CompleterHarness.StartAsync();
        await using var completer = await RunningCompleter.StartAsync(h, output, h.Settings());
        var job = await h.CreateJobAsync("echo started; sleep 60", memoryMb: 16);
        await h.PublishRunningAsync(job);

        var kill = await DockerEngine.CliAsync("kill", "-s", "KILL", job.ContainerId);
        Assert.True(kill.ExitCode == 0, kill.Describe());
        var finished = await h.WaitForOneFinishedAsync(job);

        Assert.Equal(JobStatus.Error, finished.Response.Status);
        Assert.Contains("SIGKILL", finished.Response.Error, StringComparison.Ordinal);
        await h.AssertNoContainersLeftAsync();
    }

    /// <summary>The container's main process as the engine's host sees it (State.Pid), once it runs.</summary>
    private static async Task<string> ContainerPidAsync(string containerId)
    {
        var inspect = await DockerEngine.CliAsync("inspect", "-f", "{{.State.Pid}}", containerId);
        Assert.True(inspect.ExitCode == 0, inspect.Describe());
        var pid = inspect.Stdout.Trim();
        Assert.True(long.TryParse(pid, out var value) && value > 0, $"State.Pid {pid}");
        return pid;
    }

    [Fact]
    public async Task Complete_InvalidJson_StatusInvalidOutputWithTheReason()
    {
        var finished = await RunAsync("""echo '{"success": true, "grade": 7'; echo 'compiler exploded' >&2""");

        Assert.Equal(JobStatus.InvalidOutput, finished.Response.Status);
        Assert.Contains("no valid response", finished.Response.Error, StringComparison.Ordinal);
        Assert.Equal("compiler exploded", finished.Response.StderrTail);
    }

    [Fact]
    public async Task Complete_ResponseBreaksTheSchema_StatusInvalidOutputNamingTheSchema()
    {
        var finished = await RunAsync("""echo '{"success": true, "grade": "ten"}'""");

        Assert.Equal(JobStatus.InvalidOutput, finished.Response.Status);
        Assert.Contains("container_response.json", finished.Response.Error, StringComparison.Ordinal);
        Assert.Contains("grade", finished.Response.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Complete_BlockAmidNoise_GradedFromTheBlock()
    {
        var finished = await RunAsync("""
            echo 'Running 3 tests...'; echo '{ not the response'
            echo '-----BEGIN CORRECTOMATIC RESPONSE-----'
            echo '{"success": true, "grade": 8.5, "comments": ["two of three"]}'
            echo '-----END CORRECTOMATIC RESPONSE-----'
            echo 'bye'
            """);

        Assert.Equal(JobStatus.Graded, finished.Response.Status);
        Assert.Equal(8.5, finished.Response.Grade);
        Assert.Equal(["two of three"], finished.Response.Comments);
    }

    [Fact]
    public async Task Complete_StderrInterleavedWithStdout_DoesNotCorruptTheResponse()
    {
        var finished = await RunAsync("""
            i=0; while [ $i -lt 200 ]; do echo "warning $i {\"success\":false" >&2; i=$((i+1)); done
            printf '{"success": true,' ; echo 'noise in the middle' >&2; echo ' "grade": 9}'
            echo 'last words' >&2
            """);

        Assert.Equal(JobStatus.Graded, finished.Response.Status);
        Assert.Equal(9, finished.Response.Grade);
        Assert.Null(finished.Response.StderrTail); // graded: no stderr in the body
    }

    [Fact]
    public async Task Complete_NonZeroExitWithValidResponse_KeepsTheVerdictAndTheExitCode()
    {
        var finished = await RunAsync("""echo '{"success": false, "error": "does not compile"}'; echo 'main.c:1: error' >&2; exit 3""");

        Assert.Equal(JobStatus.GraderFailed, finished.Response.Status);
        Assert.Equal("does not compile", finished.Response.Error);
        Assert.Equal(3, finished.Response.ExitCode);
        Assert.Equal("main.c:1: error", finished.Response.StderrTail);
    }

    [Fact]
    public async Task Complete_ShellGraderImage_GradesTheSubmission()
    {
        await using var h = await CompleterHarness.StartAsync();
        await using var completer = await RunningCompleter.StartAsync(h, output);
        var job = await h.CreateJobAsync("echo hello", image: DockerEngine.ShellGraderImage, env: ["EXPECTED=hello"]);

        await h.PublishRunningAsync(job);
        var finished = await h.WaitForOneFinishedAsync(job);

        Assert.Equal(JobStatus.Graded, finished.Response.Status);
        Assert.Equal(10, finished.Response.Grade);
        Assert.Equal(10, finished.Response.MaxGrade);
        Assert.True(finished.Response.Timings?.DurationMs >= 0, ContractJson.Serialize(finished.Response.Timings));
        await h.AssertNoContainersLeftAsync();
    }

    [Fact]
    public async Task Complete_ContainerRemovedByHandMidRun_StatusError()
    {
        await using var h = await CompleterHarness.StartAsync();
        await using var completer = await RunningCompleter.StartAsync(h, output);
        var job = await h.CreateJobAsync("sleep 60");
        await h.WaitUntilHeldAsync(await h.PublishRunningAsync(job));

        var rm = await DockerEngine.CliAsync("rm", "-f", job.ContainerId);
        var finished = await h.WaitForOneFinishedAsync(job);

        Assert.True(rm.ExitCode == 0, rm.Describe());
        Assert.Equal(JobStatus.Error, finished.Response.Status);
        Assert.Contains("disappeared", finished.Response.Error, StringComparison.Ordinal);
        await h.AssertNoContainersLeftAsync();
    }

    [Fact]
    public async Task Complete_ContainerRemovedWhileNoCompleterRan_StatusErrorAfterRestart()
    {
        await using var h = await CompleterHarness.StartAsync();
        var job = await h.CreateJobAsync("sleep 60");
        await h.PublishRunningAsync(job);
        await h.Docker.RemoveContainerAsync(job.ContainerId, force: true);

        await using var completer = await RunningCompleter.StartAsync(h, output);
        var finished = await h.WaitForOneFinishedAsync(job);

        Assert.Equal(JobStatus.Error, finished.Response.Status);
        await h.AssertNoContainersLeftAsync();
    }
}
