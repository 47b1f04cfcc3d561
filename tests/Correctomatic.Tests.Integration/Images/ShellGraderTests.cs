namespace Correctomatic.Tests.Integration.Images;

/// <summary>The minimal busybox shell grader (images/grader-shell) used by the demo and fast tests, in the Starter's sandbox.</summary>
public sealed class ShellGraderTests
{
    [Fact]
    public async Task Grade_OutputMatchesExpected_FullMarks()
    {
        var run = await GraderSandbox.GradeAsync(Infrastructure.DockerEngine.ShellGraderImage, "echo hello\n", "EXPECTED=hello");

        Assert.Equal(10, run.Grade);
        Assert.Equal(10, run.Response.GetProperty("max_grade").GetDouble());
    }

    [Fact]
    public async Task Grade_OutputDiffers_ZeroWithBothOutputsInComments()
    {
        var run = await GraderSandbox.GradeAsync(Infrastructure.DockerEngine.ShellGraderImage, "echo 'hi \"there\"'\n", "EXPECTED=hello");

        Assert.Equal(0, run.Grade);
        Assert.Equal(["Expected: hello", "Got: hi \"there\""], run.Comments);
    }

    [Fact]
    public async Task Grade_SubmissionFails_SuccessFalse()
    {
        var run = await GraderSandbox.GradeAsync(Infrastructure.DockerEngine.ShellGraderImage, "echo oops >&2; exit 3\n", "EXPECTED=hello");

        Assert.False(run.Success);
        Assert.Equal("the submission exited with status 3: oops", run.Response.GetProperty("error").GetString());
    }
}
