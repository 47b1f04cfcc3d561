using Correctomatic.Shared.Contracts;
using Correctomatic.Tests.Integration.Images;

namespace Correctomatic.Tests.Integration.Pipeline;

/// <summary>
/// The node:test grader on its sample assignment (addAll and mean, 5 tests in images/assignments/node-test-sample)
/// through the whole pipeline.
/// </summary>
public sealed class NodeTestPipelineTests(PipelineFixture fixture) : IClassFixture<PipelineFixture>
{
    private const string Image = GraderSandbox.NodeSample;

    private const string Correct = """
        function addAll(numbers) { return numbers.reduce((a, b) => a + b, 0); }
        function mean(numbers) {
          if (numbers.length === 0) throw new RangeError('empty');
          return addAll(numbers) / numbers.length;
        }
        module.exports = { addAll, mean };
        """;

    private const string Wrong = """
        console.log('noise from the student');
        function addAll(numbers) { return numbers.filter((n) => n > 0).reduce((a, b) => a + b, 0); }
        function mean(numbers) { return addAll(numbers) / numbers.length; }
        module.exports = { addAll, mean };
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
        Assert.Contains("addAll > sums negative numbers failed: 3 !== 0", partial.Result.Comments!);
        Assert.Contains("mean > throws for an empty list failed: Missing expected exception (RangeError).", partial.Result.Comments!);
        Assert.DoesNotContain("noise from the student", partial.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pipeline_DoesNotCompileOrThrowsWhenLoaded_GraderFailed()
    {
        var syntax = Pipeline.RunAsync(Pipeline.Job(Image, "function (\n"));
        var throws = Pipeline.RunAsync(Pipeline.Job(Image, "throw new Error('boom at load');\n"));

        var notCompiled = (await syntax).Result;
        Assert.Equal(JobStatus.GraderFailed, notCompiled.Status);
        Assert.StartsWith("the submission does not compile", notCompiled.Error, StringComparison.Ordinal);
        Assert.Contains("SyntaxError", notCompiled.Error, StringComparison.Ordinal);
        var threw = (await throws).Result;
        Assert.Equal(JobStatus.GraderFailed, threw.Status);
        Assert.Contains("Error: boom at load", threw.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pipeline_InfiniteLoop_FailsAtTheRunLimit()
    {
        const string Loops = "module.exports = { addAll() { for (;;) {} }, mean() { return 3; } };\n";

        var callback = await Pipeline.RunAsync(Pipeline.Job(Image, Loops, "TIMEOUT=3"));

        Assert.Equal(JobStatus.Graded, callback.Result.Status);
        Assert.Equal(0, callback.Result.Grade);
        Assert.Contains(callback.Result.Comments!, c => c.Contains("did not finish within 3 s", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Pipeline_SubmissionOverwritesTestsAndConnects_RealTestsStillRun()
    {
        const string Hostile = """
            const fs = require('node:fs');
            const net = require('node:net');
            try { fs.writeFileSync('/grader/assignment/stats.test.js', ''); } catch { /* refused */ }
            net.connect(80, '192.0.2.1').on('error', () => {}).unref();
            module.exports = { addAll: () => 0, mean: () => 0 };
            """;

        var hostile = (await Pipeline.RunAsync(Pipeline.Job(Image, Hostile))).Result;
        var after = (await Pipeline.RunAsync(Pipeline.Job(Image, Correct))).Result;

        Assert.Equal(JobStatus.Graded, hostile.Status);
        Assert.Equal(5, hostile.Tests!.Value.GetArrayLength());
        Assert.Equal(4, hostile.Grade); // the real tests ran: returning 0 passes only the two sums that are 0
        Assert.Equal(10, after.Grade);
    }
}
