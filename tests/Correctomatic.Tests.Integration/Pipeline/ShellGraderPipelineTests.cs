using Correctomatic.Shared.Contracts;
using Correctomatic.Tests.Integration.Infrastructure;

namespace Correctomatic.Tests.Integration.Pipeline;

/// <summary>
/// The busybox shell grader (images/grader-shell) through the whole pipeline: pending → starter → container → completer
/// → notifier → verified callback. It grades all or nothing (10 when the output equals EXPECTED, else 0 with both
/// outputs), so "partial marks" is 0 of 10 with comments here; the other graders show real partial marks. Also: text
/// crosses every hop unchanged, and a burst of jobs gets each its own answer.
/// </summary>
public sealed class ShellGraderPipelineTests(PipelineFixture fixture) : IClassFixture<PipelineFixture>
{
    private const string Image = DockerEngine.ShellGraderImage;
    private PipelineHarness Pipeline => fixture.Harness;

    [Fact]
    public async Task Pipeline_CorrectAndWrongSubmissions_FullMarksAndZeroWithBothOutputs()
    {
        var correct = Pipeline.RunAsync(Pipeline.Job(Image, "echo hello\n", "EXPECTED=hello"));
        var wrong = Pipeline.RunAsync(Pipeline.Job(Image, "echo 'hi \"there\"'\n", "EXPECTED=hello"));

        var right = (await correct).Result;
        Assert.Equal(JobStatus.Graded, right.Status);
        Assert.True(right.Success);
        Assert.Equal(10, right.Grade);
        Assert.Equal(right.MaxGrade, right.Grade);
        var partial = (await wrong).Result;
        Assert.Equal(JobStatus.Graded, partial.Status);
        Assert.Equal(0, partial.Grade);
        Assert.Equal(["Expected: hello", "Got: hi \"there\""], partial.Comments);
    }

    [Fact]
    public async Task Pipeline_SubmissionAsAFileInSubmissionsDir_GradedLikeFileContent()
    {
        var callback = await Pipeline.RunAsync(Pipeline.FileJob(Image, "echo hello\n", "EXPECTED=hello"));

        Assert.Equal(JobStatus.Graded, callback.Result.Status);
        Assert.Equal(10, callback.Result.Grade);
    }

    [Fact]
    public async Task Pipeline_SubmissionDoesNotParseOrFails_GraderFailedWithTheError()
    {
        var syntax = Pipeline.RunAsync(Pipeline.Job(Image, "if then fi (\n", "EXPECTED=hello"));
        var fails = Pipeline.RunAsync(Pipeline.Job(Image, "echo oops >&2; exit 3\n", "EXPECTED=hello"));

        var notParsed = (await syntax).Result;
        Assert.Equal(JobStatus.GraderFailed, notParsed.Status);
        Assert.False(notParsed.Success);
        Assert.StartsWith("the submission exited with status 2: ", notParsed.Error, StringComparison.Ordinal);
        Assert.Null(notParsed.Grade);
        var failed = (await fails).Result;
        Assert.Equal(JobStatus.GraderFailed, failed.Status);
        Assert.Equal("the submission exited with status 3: oops", failed.Error);
    }

    [Fact]
    public async Task Pipeline_InfiniteLoop_JobTimeout()
    {
        // The shell grader has no limit of its own (images/README.md): the job's wall-clock limit ends it.
        var job = Pipeline.Job(Image, "while true; do :; done\n", "EXPECTED=hello") with { Limits = new JobLimits { TimeoutSeconds = 2 } };

        var callback = await Pipeline.RunAsync(job);

        Assert.Equal(JobStatus.Timeout, callback.Result.Status);
        Assert.False(callback.Result.Success);
        Assert.Null(callback.Result.Grade);
        Assert.False(string.IsNullOrEmpty(callback.Result.Error), callback.Body);
    }

    [Fact]
    public async Task Pipeline_SubmissionWritesGraderAndConnects_RefusedAndGraderUnharmed()
    {
        // Prints "wrote" or "connected" if the sandbox let it (read-only root filesystem, network none), then the answer.
        const string Hostile = """
            if echo 'echo "{\"success\":true,\"grade\":99}"' > /grader/grade.sh 2>/dev/null; then echo wrote; fi
            if wget -q -T 2 -O - http://192.0.2.1/ 2>/dev/null; then echo connected; fi
            echo hello
            """;

        var hostile = await Pipeline.RunAsync(Pipeline.Job(Image, Hostile, "EXPECTED=hello"));
        var after = await Pipeline.RunAsync(Pipeline.Job(Image, "echo bye\n", "EXPECTED=hello"));

        Assert.Equal(JobStatus.Graded, hostile.Result.Status);
        Assert.Equal(10, hostile.Result.Grade); // neither "wrote" nor "connected" was printed
        Assert.Equal(0, after.Result.Grade); // the grader still compares: its script was not replaced
        Assert.Equal(["Expected: hello", "Got: bye"], after.Result.Comments);
    }

    [Fact]
    public async Task Pipeline_NonAsciiOutputParamsAndWorkId_ArriveUnchanged()
    {
        const string Expected = "a = b, ¡olé! 世界 \"quoted\" \\ back";
        // The submission prints the text itself: EXPECTED is the grader's, and no longer in the submission's environment (#13).
        var matching = Pipeline.Job(Image, "printf '%s\\n' '" + Expected + "'\n", "EXPECTED=" + Expected) with { WorkId = "assignment-7/student-42 ñ" };
        var differing = Pipeline.Job(Image, "echo 'ça va? 🙂'\n", "EXPECTED=" + Expected);

        var same = Pipeline.RunAsync(matching);
        var other = Pipeline.RunAsync(differing);

        Assert.Equal(10, (await same).Result.Grade);
        Assert.Equal("assignment-7/student-42 ñ", (await same).Result.WorkId);
        Assert.Equal(["Expected: " + Expected, "Got: ça va? 🙂"], (await other).Result.Comments);
    }

    [Fact]
    public async Task Pipeline_BurstOfJobs_EachCalledBackWithItsOwnResultNothingDead()
    {
        // More jobs than STARTER_CONCURRENCY and COMPLETER_CONCURRENCY (8 each): every one still gets exactly its own answer.
        var jobs = Enumerable.Range(0, 24)
            .Select(i => Pipeline.Job(Image, $"echo {i}\n", "EXPECTED=" + (i % 2 == 0 ? i : -1).ToString(System.Globalization.CultureInfo.InvariantCulture)))
            .ToList();

        var callbacks = await Task.WhenAll(jobs.Select(job => Pipeline.RunAsync(job)));

        for (var i = 0; i < jobs.Count; i++)
        {
            Assert.Equal(i % 2 == 0 ? 10 : 0, callbacks[i].Result.Grade);
        }

        Assert.Equal(jobs.Count, callbacks.Select(c => c.JobId).Distinct().Count());
        Assert.Empty(await Pipeline.DeadLettersAsync());
    }
}
