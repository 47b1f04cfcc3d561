namespace Correctomatic.Tests.Integration.Images;

/// <summary>
/// The node:test grader (images/grader-node-test) on the sample assignment (images/assignments/node-test-sample:
/// addAll and mean, 5 tests in stats.test.js), run in the Starter's sandbox.
/// </summary>
public sealed class NodeTestGraderTests
{
    private const string Correct = """
        function addAll(numbers) { return numbers.reduce((a, b) => a + b, 0); }
        function mean(numbers) {
          if (numbers.length === 0) throw new RangeError('empty');
          return addAll(numbers) / numbers.length;
        }
        module.exports = { addAll, mean };
        """;

    [Fact]
    public async Task Grade_CorrectSubmission_FullMarksPerTestResults()
    {
        var run = await GraderSandbox.GradeAsync(GraderSandbox.NodeSample, Correct);

        Assert.Equal(10, run.Grade);
        Assert.Equal(5, run.Tests.Length);
        Assert.Contains(run.Tests, t => t.GetProperty("name").GetString() == "mean > is the mean of two numbers");
        Assert.All(run.Tests, t => Assert.Equal("passed", t.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task Grade_WrongSubmission_PartialMarksWithTheAssertion()
    {
        const string Wrong = """
            console.log('noise from the student');
            function addAll(numbers) { return numbers.filter((n) => n > 0).reduce((a, b) => a + b, 0); }
            function mean(numbers) { return addAll(numbers) / numbers.length; }
            module.exports = { addAll, mean };
            """;

        var run = await GraderSandbox.GradeAsync(GraderSandbox.NodeSample, Wrong);

        Assert.Equal(6, run.Grade);
        Assert.Contains("addAll > sums negative numbers failed: 3 !== 0", run.Comments);
        Assert.Contains("mean > throws for an empty list failed: Missing expected exception (RangeError).", run.Comments);
        Assert.DoesNotContain("noise from the student", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Grade_DoesNotCompile_SuccessFalse()
    {
        var run = await GraderSandbox.GradeAsync(GraderSandbox.NodeSample, "function (\n");

        Assert.False(run.Success);
        var error = run.Response.GetProperty("error").GetString();
        Assert.StartsWith("the submission does not compile", error, StringComparison.Ordinal);
        Assert.Contains("SyntaxError", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Grade_ThrowsWhenLoaded_SuccessFalse()
    {
        var run = await GraderSandbox.GradeAsync(GraderSandbox.NodeSample, "throw new Error('boom at load');\n");

        Assert.False(run.Success);
        Assert.Contains("Error: boom at load", run.Response.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Grade_SubmissionOverwritesTestsAndConnects_TestsStillRunUnchanged()
    {
        const string Hostile = """
            const fs = require('node:fs');
            const net = require('node:net');
            try { fs.writeFileSync('/grader/assignment/stats.test.js', ''); } catch { /* refused */ }
            net.connect(80, '192.0.2.1').on('error', () => {}).unref();
            module.exports = { addAll: () => 0, mean: () => 0 };
            """;

        var run = await GraderSandbox.GradeAsync(GraderSandbox.NodeSample, Hostile);

        Assert.True(run.Success, run.ToString());
        Assert.Equal(5, run.Tests.Length);
        Assert.Equal(4, run.Grade); // the real tests ran: returning 0 passes only the two sums that are 0
    }

    [Fact]
    public async Task Grade_InfiniteLoop_FailsAtTheTimeLimit()
    {
        const string Loops = "module.exports = { addAll() { for (;;) {} }, mean() { return 3; } };\n";

        var run = await GraderSandbox.GradeAsync(GraderSandbox.NodeSample, Loops, "TIMEOUT=3");

        Assert.Equal(0, run.Grade);
        Assert.Contains(run.Comments, c => c.Contains("did not finish within 3 s", StringComparison.Ordinal));
    }
}
