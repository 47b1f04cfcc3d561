namespace Correctomatic.Tests.Integration.Images;

/// <summary>
/// What the spawner (images/confine) gives the submission under each runtime, and that it fails closed (issue #13):
/// a runtime whose confinement would be degraded gets success false naming the reason, unless
/// ALLOW_DEGRADED_CONFINEMENT=1.
/// </summary>
public sealed class ConfinementTests
{
    private const string ShellGrader = "correctomatic/grader-shell:latest";

    [Theory]
    [InlineData("runc")]
    [InlineData("runsc")]
    public async Task Submission_RunsAsItsOwnUidWithoutTheGradersEnvironment(string runtime)
    {
        // EXPECTED is the grader's param: the submission's environment must not carry it.
        var run = await GraderSandbox.RunUnderAsync(runtime, ShellGrader, "echo \"$(id -u):$(id -g):${EXPECTED-none}:$(tr -d '\\0' < /proc/1/environ 2>/dev/null | wc -c)\"\n",
            "EXPECTED=1001:1001:none:0");

        Assert.True(run.ExitCode == 0 && run.Grade == 10, run.ToString());
    }

    [Fact]
    public async Task OldSpecUnderGvisor_NoUidSeparation_RefusedWithTheReasonAndTheParam()
    {
        var run = await GraderSandbox.RunWithoutSpawnerAsync("runsc", ShellGrader, "echo hello\n", "EXPECTED=hello");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.False(run.Success, run.ToString());
        var error = run.Response.GetProperty("error").GetString()!;
        Assert.StartsWith("the grader refuses to run the submission here: confine check: refusing to run the submission: under gVisor", error, StringComparison.Ordinal);
        Assert.Contains("ALLOW_DEGRADED_CONFINEMENT=1", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OldSpecUnderGvisor_DegradedAllowed_Graded()
    {
        var run = await GraderSandbox.RunWithoutSpawnerAsync("runsc", ShellGrader, "echo hello\n", "EXPECTED=hello", "ALLOW_DEGRADED_CONFINEMENT=1");

        Assert.True(run.ExitCode == 0 && run.Success && run.Grade == 10, run.ToString());
    }

    [Theory]
    [InlineData(GraderSandbox.IoSample, "import sys\nprint(sum(int(a) for a in sys.argv[1:]))\n")]
    [InlineData(GraderSandbox.UnittestSample, "def add_all(n):\n    return sum(n)\ndef mean(n):\n    if not n:\n        raise ValueError()\n    return sum(n) / len(n)\n")]
    public async Task OldSpecUnderRunc_LandlockOnly_StillGrades(string image, string submission)
    {
        // Images started the old way (other helpers' Starters, until they merge this one): Landlock ABI >= 6 alone.
        var run = await GraderSandbox.RunWithoutSpawnerAsync("runc", image, submission);

        Assert.True(run.ExitCode == 0 && run.Success && run.Grade == 10, run.ToString());
    }
}
