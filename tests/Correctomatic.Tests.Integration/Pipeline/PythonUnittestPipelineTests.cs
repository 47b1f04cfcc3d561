using Correctomatic.Shared.Contracts;
using Correctomatic.Tests.Integration.Images;

namespace Correctomatic.Tests.Integration.Pipeline;

/// <summary>
/// The unittest grader on its sample assignment (add_all and mean, 5 tests in images/assignments/python-unittest-sample)
/// through the whole pipeline.
/// </summary>
public sealed class PythonUnittestPipelineTests(PipelineFixture fixture) : IClassFixture<PipelineFixture>
{
    private const string Image = GraderSandbox.UnittestSample;

    private const string Correct = """
        def add_all(numbers):
            return sum(numbers)

        def mean(numbers):
            if not numbers:
                raise ValueError("empty")
            return sum(numbers) / len(numbers)
        """;

    private const string Wrong = """
        print("noise from the student")
        def add_all(numbers):
            return sum(n for n in numbers if n > 0)

        def mean(numbers):
            return sum(numbers) / len(numbers)
        """;

    private PipelineHarness Pipeline => fixture.Harness;

    [Fact]
    public async Task Pipeline_CorrectAndWrongSubmissions_FullMarksAndPartialWithTheAssertions()
    {
        var correct = Pipeline.RunAsync(Pipeline.Job(Image, Correct));
        var wrong = Pipeline.RunAsync(Pipeline.Job(Image, Wrong));

        var full = (await correct).Result;
        Assert.Equal(JobStatus.Graded, full.Status);
        Assert.Equal(10, full.Grade);
        Assert.Equal(full.MaxGrade, full.Grade);
        Assert.Equal(5, full.Tests!.Value.GetArrayLength());
        var partial = await wrong;
        Assert.Equal(JobStatus.Graded, partial.Result.Status);
        Assert.Equal(6, partial.Result.Grade);
        Assert.Contains("test_stats.TestAddAll.test_negative_numbers failed: AssertionError: 3 != 0", partial.Result.Comments!);
        Assert.Contains("test_stats.TestMean.test_mean_of_empty_list_raises failed: ZeroDivisionError: division by zero", partial.Result.Comments!);
        Assert.DoesNotContain("noise from the student", partial.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pipeline_DoesNotCompileOrRaisesAtImport_GraderFailed()
    {
        var syntax = Pipeline.RunAsync(Pipeline.Job(Image, "def add_all(:\n"));
        var raises = Pipeline.RunAsync(Pipeline.Job(Image, "raise RuntimeError('boom at import')\n"));

        var notCompiled = (await syntax).Result;
        Assert.Equal(JobStatus.GraderFailed, notCompiled.Status);
        Assert.Contains("SyntaxError", notCompiled.Error, StringComparison.Ordinal);
        var raised = (await raises).Result;
        Assert.Equal(JobStatus.GraderFailed, raised.Status);
        Assert.StartsWith("the submission cannot be imported", raised.Error, StringComparison.Ordinal);
        Assert.Contains("RuntimeError: boom at import", raised.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pipeline_InfiniteLoop_UnfinishedTestsFailAtTheRunLimit()
    {
        const string Loops = "def add_all(numbers):\n    while True:\n        pass\n\ndef mean(numbers):\n    return 3\n";

        var callback = await Pipeline.RunAsync(Pipeline.Job(Image, Loops, "TIMEOUT=2"));

        Assert.Equal(JobStatus.Graded, callback.Result.Status);
        Assert.Equal(0, callback.Result.Grade);
        Assert.All(callback.Result.Tests!.Value.EnumerateArray(),
            t => Assert.Equal("did not finish within 2 s (the time limit of the test run)", t.GetProperty("output").GetString()));
    }

    [Fact]
    public async Task Pipeline_SubmissionOverwritesTestsAndConnects_RealTestsStillRun()
    {
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

        var hostile = (await Pipeline.RunAsync(Pipeline.Job(Image, Hostile))).Result;
        var after = (await Pipeline.RunAsync(Pipeline.Job(Image, Correct))).Result;

        Assert.Equal(JobStatus.Graded, hostile.Status);
        Assert.Equal(5, hostile.Tests!.Value.GetArrayLength());
        Assert.Equal(2, hostile.Grade); // the real tests ran: returning 0 passes only the empty-list sum
        Assert.Equal(10, after.Grade);
    }
}
