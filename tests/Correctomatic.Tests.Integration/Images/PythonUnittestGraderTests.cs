namespace Correctomatic.Tests.Integration.Images;

/// <summary>
/// The unittest grader (images/grader-python-unittest) on the sample assignment (images/assignments/python-unittest-sample:
/// add_all and mean, 5 tests in test_stats.py), run in the Starter's sandbox.
/// </summary>
public sealed class PythonUnittestGraderTests
{
    private const string Correct = """
        def add_all(numbers):
            return sum(numbers)

        def mean(numbers):
            if not numbers:
                raise ValueError("empty")
            return sum(numbers) / len(numbers)
        """;

    [Fact]
    public async Task Grade_CorrectSubmission_FullMarksPerTestResults()
    {
        var run = await GraderSandbox.GradeAsync(GraderSandbox.UnittestSample, Correct);

        Assert.Equal(10, run.Grade);
        Assert.Equal(5, run.Tests.Length);
        Assert.Contains(run.Tests, t => t.GetProperty("name").GetString() == "test_stats.TestMean.test_mean_of_two");
        Assert.All(run.Tests, t => Assert.Equal("passed", t.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task Grade_WrongSubmission_PartialMarksWithTheAssertion()
    {
        const string Wrong = """
            print("noise from the student")
            def add_all(numbers):
                return sum(n for n in numbers if n > 0)

            def mean(numbers):
                return sum(numbers) / len(numbers)
            """;

        var run = await GraderSandbox.GradeAsync(GraderSandbox.UnittestSample, Wrong);

        Assert.Equal(6, run.Grade);
        Assert.Contains("test_stats.TestAddAll.test_negative_numbers failed: AssertionError: 3 != 0", run.Comments);
        Assert.Contains("test_stats.TestMean.test_mean_of_empty_list_raises failed: ZeroDivisionError: division by zero", run.Comments);
        Assert.DoesNotContain("noise from the student", run.Stdout, StringComparison.Ordinal);
        // A failing subTest fails its test and is named in the output.
        var negative = run.Tests.Single(t => t.GetProperty("name").GetString() == "test_stats.TestAddAll.test_negative_numbers");
        Assert.StartsWith("test_stats.TestAddAll.test_negative_numbers (numbers=[-1, -2, 3])", negative.GetProperty("output").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Grade_RaisesAtImport_SuccessFalseWithTraceback()
    {
        var run = await GraderSandbox.GradeAsync(GraderSandbox.UnittestSample, "raise RuntimeError('boom at import')\n");

        Assert.False(run.Success);
        var error = run.Response.GetProperty("error").GetString();
        Assert.StartsWith("the submission cannot be imported", error, StringComparison.Ordinal);
        Assert.Contains("RuntimeError: boom at import", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Grade_DoesNotCompile_SuccessFalse()
    {
        var run = await GraderSandbox.GradeAsync(GraderSandbox.UnittestSample, "def add_all(:\n");

        Assert.False(run.Success);
        Assert.Contains("SyntaxError", run.Response.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Grade_SubmissionOverwritesTestsAndConnects_TestsStillRunUnchanged()
    {
        // Wrong answers, plus attempts to replace the tests with ones that always pass and to reach the network.
        const string Hostile = """
            import socket
            for attempt in (lambda: open("/grader/assignment/test_stats.py", "w").write("pass\n"),
                            lambda: socket.create_connection(("192.0.2.1", 80), timeout=1)):
                try:
                    attempt()
                except OSError:
                    pass

            def add_all(numbers):
                return 0

            def mean(numbers):
                return 0
            """;

        var run = await GraderSandbox.GradeAsync(GraderSandbox.UnittestSample, Hostile);

        Assert.True(run.Success, run.ToString());
        Assert.Equal(5, run.Tests.Length);
        Assert.Equal(2, run.Grade); // the real tests ran: returning 0 passes only the empty-list sum
    }

    [Fact]
    public async Task Grade_InfiniteLoop_UnfinishedTestsFailAtTheTimeLimit()
    {
        const string Loops = "def add_all(numbers):\n    while True:\n        pass\n\ndef mean(numbers):\n    return 3\n";

        var run = await GraderSandbox.GradeAsync(GraderSandbox.UnittestSample, Loops, "TIMEOUT=2");

        Assert.Equal(0, run.Grade);
        Assert.All(run.Tests, t => Assert.Equal("did not finish within 2 s (the time limit of the test run)", t.GetProperty("output").GetString()));
    }
}
