using System.Text.Json.Nodes;
using Correctomatic.Shared.Contracts;
using Correctomatic.Tests.Integration.Images;

namespace Correctomatic.Tests.Integration.Pipeline;

/// <summary>
/// The input/output-cases grader on its sample assignment (sum the arguments; 4 test cases, 5 hidden grade cases in
/// images/assignments/io-python-sample) through the whole pipeline.
/// </summary>
public sealed class IoPythonPipelineTests(PipelineFixture fixture) : IClassFixture<PipelineFixture>
{
    private const string Image = GraderSandbox.IoSample;
    private const string Correct = "import sys\nprint(sum(int(a) for a in sys.argv[1:]))\n";

    // Right only for one-argument cases: test case 4; grade cases 4 and 5.
    private const string FirstArgumentOnly = "import sys\nprint(sum(int(a) for a in sys.argv[1:2]))\n";

    private PipelineHarness Pipeline => fixture.Harness;

    [Fact]
    public async Task Pipeline_CorrectAndWrongSubmissions_FullMarksAndPartialWithInputExpectedActual()
    {
        var correct = Pipeline.RunAsync(Pipeline.Job(Image, Correct));
        var wrong = Pipeline.RunAsync(Pipeline.Job(Image, FirstArgumentOnly));

        var full = (await correct).Result;
        Assert.Equal(JobStatus.Graded, full.Status);
        Assert.Equal(10, full.Grade);
        Assert.Equal(full.MaxGrade, full.Grade);
        Assert.Equal(4, full.Tests!.Value.GetArrayLength());
        var partial = (await wrong).Result;
        Assert.Equal(JobStatus.Graded, partial.Status);
        Assert.Equal(2.5, partial.Grade);
        Assert.Equal(10, partial.MaxGrade);
        Assert.Equal("Passed 1 of 4 test cases.", partial.Comments![0]);
        Assert.Contains("Case 2 failed: input: '10 20 30'; expected: '60'; actual: '10'", partial.Comments);
    }

    [Fact]
    public async Task Pipeline_DoesNotCompileAndInfiniteLoop_GraderFailedAndPerCaseLimit()
    {
        var syntax = Pipeline.RunAsync(Pipeline.Job(Image, "def broken(:\n"));
        var loops = Pipeline.RunAsync(Pipeline.Job(Image, "while True:\n    pass\n", "CASE_TIMEOUT=0.5"));

        var failed = (await syntax).Result;
        Assert.Equal(JobStatus.GraderFailed, failed.Status);
        Assert.StartsWith("the submission does not compile: SyntaxError", failed.Error, StringComparison.Ordinal);
        var timedOut = (await loops).Result;
        Assert.Equal(JobStatus.Graded, timedOut.Status); // the grader's own limit per case, long before the job's
        Assert.Equal(0, timedOut.Grade);
        Assert.Equal(4, timedOut.Comments!.Count(c => c.EndsWith("no answer within 0.5 s (the time limit per case)", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Pipeline_SubmissionExhaustsMemory_ItsCasesFailAndTheGradersVerdictStands()
    {
        // The kernel kills the submission (a child of the grader); Docker then reports OOMKilled for the container, but
        // the grader lived, failed each case and exited 0 with its response: that is the result, not out_of_memory.
        var job = Pipeline.Job(Image, "import sys\nx = bytearray(1 << 30)\nprint(sum(int(a) for a in sys.argv[1:]))\n")
            with { Limits = new JobLimits { MemoryMb = 128 } };

        var callback = await Pipeline.RunAsync(job);

        Assert.Equal(JobStatus.Graded, callback.Result.Status);
        Assert.Equal(0, callback.Result.Grade);
        Assert.Equal("Passed 0 of 4 test cases.", callback.Result.Comments![0]);
        // At least one case was killed by the kernel (SIGKILL, -9), so Docker did report OOMKilled for the container.
        Assert.Contains(callback.Result.Comments, c => c.Contains("exited with status -9", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Pipeline_HiddenGradeCases_CountsOnlyNothingOfTheCasesInTheCallback()
    {
        var callback = await Pipeline.RunAsync(Pipeline.Job(Image, FirstArgumentOnly, "CASES=grade"));

        Assert.Equal(JobStatus.Graded, callback.Result.Status);
        Assert.Equal(4, callback.Result.Grade); // 2 of 5
        Assert.Equal(["Passed 2 of 5 grade cases. Grade cases are hidden: only the counts are shown."], callback.Result.Comments);
        Assert.All(callback.Result.Tests!.Value.EnumerateArray(), t =>
        {
            Assert.Equal("hidden", t.GetProperty("visibility").GetString());
            Assert.False(t.TryGetProperty("output", out _));
        });
        AssertNothingOfTheGradeCases(callback);
    }

    [Fact]
    public async Task Pipeline_HiddenGradeCasesPastTheJobTimeout_TimeoutAndStillNothingOfTheCases()
    {
        // The per-case limit is longer than the job's: the completer kills the container, and what it reports on a
        // failure (error, stderr_tail) must not reveal the hidden cases either.
        var job = Pipeline.Job(Image, "import sys\nprint(sys.argv)\nwhile True:\n    pass\n", "CASES=grade", "CASE_TIMEOUT=30")
            with { Limits = new JobLimits { TimeoutSeconds = 2 } };

        var callback = await Pipeline.RunAsync(job);

        Assert.Equal(JobStatus.Timeout, callback.Result.Status);
        Assert.Null(callback.Result.Grade);
        AssertNothingOfTheGradeCases(callback);
    }

    [Fact]
    public async Task Pipeline_SubmissionWritesCaseFilesAndConnects_RefusedAndGraderUnharmed()
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

        var hostile = (await Pipeline.RunAsync(Pipeline.Job(Image, Hostile))).Result;
        var after = (await Pipeline.RunAsync(Pipeline.Job(Image, Correct))).Result;

        Assert.Equal(JobStatus.Graded, hostile.Status);
        Assert.Equal(0, hostile.Grade);
        Assert.Matches(@"actual: 'refused E[A-Z]+\\nrefused E[A-Z]+'", hostile.Comments![1]);
        Assert.Equal(10, after.Grade); // the case files are intact
    }

    /// <summary>Neither grade.in's inputs nor grade.out's answers anywhere in what the receiver got.</summary>
    private static void AssertNothingOfTheGradeCases(PipelineCallback callback)
    {
        // Ids and timings aside: ours, random or clock-made, they could contain "300" or "-6" by chance.
        var body = JsonNode.Parse(callback.Body)!.AsObject();
        body.Remove("job_id");
        body.Remove("work_id");
        body.Remove("timings");
        var content = body.ToJsonString();
        foreach (var secret in new[] { "100", "1 1 1 1", "-1 -2 -3", "0 0", "300", "-6" })
        {
            Assert.DoesNotContain(secret, content, StringComparison.Ordinal);
        }
    }
}
