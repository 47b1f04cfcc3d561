namespace Correctomatic.Tests.Integration.Images;

/// <summary>
/// The input/output-cases grader (images/grader-io-python) on the sample assignment (images/assignments/io-python-sample:
/// sum the integers given as arguments; 4 test cases, 5 hidden grade cases), run in the Starter's sandbox.
/// </summary>
public sealed class IoPythonGraderTests
{
    private const string Correct = "import sys\nprint(sum(int(a) for a in sys.argv[1:]))\n";

    // Sums only the first argument: right for one-argument cases only (test case 4; grade cases 4 and 5).
    private const string FirstArgumentOnly = "import sys\nprint(sum(int(a) for a in sys.argv[1:2]))\n";

    [Fact]
    public async Task TestCases_CorrectSubmission_FullMarksOneTestEntryPerCase()
    {
        var run = await GraderSandbox.GradeAsync(GraderSandbox.IoSample, Correct);

        Assert.True(run.Success, run.ToString());
        Assert.Equal(10, run.Grade);
        Assert.Equal(10, run.Response.GetProperty("max_grade").GetDouble());
        Assert.Equal(4, run.Tests.Length);
        Assert.All(run.Tests, t => Assert.Equal("passed", t.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task TestCases_WrongSubmission_PartialMarksWithInputExpectedAndActual()
    {
        var run = await GraderSandbox.GradeAsync(GraderSandbox.IoSample, FirstArgumentOnly);

        Assert.Equal(2.5, run.Grade);
        Assert.Equal("Passed 1 of 4 test cases.", run.Comments[0]);
        Assert.Contains("Case 2 failed: input: '10 20 30'; expected: '60'; actual: '10'", run.Comments);
        Assert.Equal("visible", run.Tests[1].GetProperty("visibility").GetString());
    }

    [Fact]
    public async Task GradeCases_WrongSubmission_OnlyCountsNoInputsOrOutputs()
    {
        var run = await GraderSandbox.GradeAsync(GraderSandbox.IoSample, FirstArgumentOnly, "CASES=grade");

        Assert.Equal(4, run.Grade); // 2 of 5 grade cases
        Assert.Equal(["Passed 2 of 5 grade cases. Grade cases are hidden: only the counts are shown."], run.Comments);
        Assert.All(run.Tests, t =>
        {
            Assert.Equal("hidden", t.GetProperty("visibility").GetString());
            Assert.False(t.TryGetProperty("output", out _));
        });
        // Nothing of grade.in / grade.out (e.g. the case "100 200" -> "300") appears anywhere in the response.
        Assert.DoesNotContain("300", run.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("100 200", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GradeCases_SubmissionReadsCaseFiles_IsDeniedAndScoresNothing()
    {
        // Would print the hidden answer for its arguments if it could read grade.in/grade.out.
        const string Cheat = """
            import sys
            try:
                ins = open("/grader/assignment/grade.in").read().splitlines()
                outs = open("/grader/assignment/grade.out").read().splitlines()
                print(dict(zip(ins, outs)).get(" ".join(sys.argv[1:]), "?"))
            except OSError as ex:
                print("denied", ex.errno)
            """;

        var run = await GraderSandbox.GradeAsync(GraderSandbox.IoSample, Cheat, "CASES=grade");

        Assert.Equal(0, run.Grade);
    }

    [Fact]
    public async Task TestCases_SubmissionWritesTestsAndConnects_FailsWithoutHarmingTheGrader()
    {
        const string Hostile = """
            import errno, socket
            for attempt in (lambda: open("/grader/assignment/test.out", "w").write("x\n"),
                            lambda: socket.create_connection(("192.0.2.1", 80), timeout=1)):
                try:
                    attempt()
                    print("succeeded")
                except OSError as ex:
                    print("refused", errno.errorcode[ex.errno])
            """;

        var run = await GraderSandbox.GradeAsync(GraderSandbox.IoSample, Hostile);
        var again = await GraderSandbox.GradeAsync(GraderSandbox.IoSample, Correct);

        Assert.Equal(0, run.Grade);
        // Both refused by the sandbox (read-only files, no network), e.g. "refused EROFS\nrefused ENETUNREACH".
        Assert.Matches(@"actual: 'refused E[A-Z]+\\nrefused E[A-Z]+'", run.Comments[1]);
        Assert.Equal(10, again.Grade); // the test files are intact
    }

    [Fact]
    public async Task TestCases_InfiniteLoop_HitsThePerCaseLimit()
    {
        var run = await GraderSandbox.GradeAsync(GraderSandbox.IoSample, "while True:\n    pass\n", "CASE_TIMEOUT=0.5");

        Assert.Equal(0, run.Grade);
        Assert.All(run.Comments.Skip(1), c => Assert.EndsWith("no answer within 0.5 s (the time limit per case)", c, StringComparison.Ordinal));
    }

    [Fact]
    public async Task TestCases_SyntaxError_SuccessFalse()
    {
        var run = await GraderSandbox.GradeAsync(GraderSandbox.IoSample, "def broken(:\n");

        Assert.False(run.Success);
        Assert.StartsWith("the submission does not compile: SyntaxError", run.Response.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TestCases_WhitespaceCompare_AcceptsExtraSpaces()
    {
        const string Spaced = "import sys\nprint('  ', sum(int(a) for a in sys.argv[1:]), '  ')\n";

        var exact = await GraderSandbox.GradeAsync(GraderSandbox.IoSample, Spaced);
        var normalised = await GraderSandbox.GradeAsync(GraderSandbox.IoSample, Spaced, "COMPARE=whitespace", "MAX_GRADE=20");

        Assert.Equal(0, exact.Grade);
        Assert.Equal(20, normalised.Grade);
    }

    [Fact]
    public async Task BadParam_GraderFailsWithNonZeroExit()
    {
        var run = await GraderSandbox.RunAsync(GraderSandbox.IoSample, Correct, "CASES=final");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("CASES", run.Stderr, StringComparison.Ordinal);
    }
}
