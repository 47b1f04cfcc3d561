using System.Text;
using Correctomatic.Completer.Outcome;
using Correctomatic.Shared.Contracts;
using Correctomatic.Shared.Schemas;

namespace Correctomatic.Tests.Unit.Completer;

public sealed class OutcomeClassifierTests
{
    private const long Cap = 1024;
    private static readonly DateTimeOffset s_started = new(2026, 1, 1, 10, 0, 0, TimeSpan.Zero);

    private static readonly RunningJob s_job = new()
    {
        JobId = "1700000000000-0",
        WorkId = "w-42",
        ContainerId = "c1",
        DockerHost = "h1",
        Image = "correctomatic/grader-shell",
        Callback = "http://lms.example/cb",
        QueuedAt = s_started.AddSeconds(-2),
        StartedAt = s_started,
        Deadline = s_started.AddSeconds(10),
        MemoryMb = 64,
    };

    private static OutcomeClassifier CreateSut() => new(SchemaCatalog.Default, stderrTailBytes: 16);

    private static ContainerOutcome Exited(string stdout, long exitCode = 0, string stderr = "") => new()
    {
        ExitCode = exitCode,
        Stdout = Encoding.UTF8.GetBytes(stdout),
        Stderr = Encoding.UTF8.GetBytes(stderr),
        StartedAt = s_started,
        FinishedAt = s_started.AddMilliseconds(1500),
    };

    [Fact]
    public void Classify_SuccessResponse_IsGradedWithTheGradersFields()
    {
        var result = CreateSut().Classify(s_job, Exited("""{"success":true,"grade":7.5,"max_grade":10,"comments":["ok"],"tests":[{"name":"t","status":"passed"}]}""", stderr: "noise"), Cap);

        Assert.Equal(JobStatus.Graded, result.Status);
        Assert.True(result.Success);
        Assert.Equal(7.5, result.Grade);
        Assert.Equal(10, result.MaxGrade);
        Assert.Equal(["ok"], result.Comments);
        Assert.Equal("t", result.Tests!.Value[0].GetProperty("name").GetString());
        Assert.Equal(0, result.ExitCode);
        Assert.Null(result.StderrTail);
        Assert.Equal("w-42", result.WorkId);
        Assert.Equal(1500, result.Timings!.DurationMs);
        Assert.Equal(s_job.QueuedAt, result.Timings.QueuedAt);
    }

    [Fact]
    public void Classify_GraderSaysFailure_IsGraderFailedWithItsError()
    {
        var result = CreateSut().Classify(s_job, Exited("""{"success":false,"error":"does not compile"}""", exitCode: 2, stderr: "gcc: error"), Cap);

        Assert.Equal(JobStatus.GraderFailed, result.Status);
        Assert.False(result.Success);
        Assert.Equal("does not compile", result.Error);
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("gcc: error", result.StderrTail);
    }

    [Fact]
    public void Classify_NonZeroExitWithValidResponse_KeepsTheVerdictAndTheExitCode()
    {
        var result = CreateSut().Classify(s_job, Exited("""{"success":true,"grade":3}""", exitCode: 1), Cap);

        Assert.Equal(JobStatus.Graded, result.Status);
        Assert.Equal(1, result.ExitCode);
    }

    [Fact]
    public void Classify_TimedOut_WinsOverEverythingButVanished()
    {
        var outcome = Exited("""{"success":true,"grade":3}""", exitCode: 137) with { TimedOut = true, OomKilled = true, StdoutTruncated = true };

        var result = CreateSut().Classify(s_job, outcome, Cap);

        Assert.Equal(JobStatus.Timeout, result.Status);
        Assert.Contains("time limit of 10 s", result.Error, StringComparison.Ordinal);
        Assert.Equal(137, result.ExitCode);
    }

    [Fact]
    public void Classify_StillRunning_IsAnErrorNotAGrade()
    {
        var result = CreateSut().Classify(s_job, new ContainerOutcome { StillRunning = true }, Cap);

        Assert.Equal(JobStatus.Error, result.Status);
        Assert.Contains("still running", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Classify_TimedOut_NamesTheJobsLimit_NotTheTimeLeftAfterCreation()
    {
        // The deadline counts from container creation, so start-up eats into it; the message names the limit asked for.
        var job = s_job with { StartedAt = s_job.Deadline.AddSeconds(-2.7), TimeoutSeconds = 3 };

        var result = CreateSut().Classify(job, Exited("", exitCode: 137) with { TimedOut = true }, Cap);

        Assert.Equal("the grader ran past its time limit of 3 s and was killed", result.Error);
    }

    [Fact]
    public void Classify_OomKilled_IsOutOfMemory()
    {
        var result = CreateSut().Classify(s_job, Exited("", exitCode: 137) with { OomKilled = true, StdoutTruncated = true }, Cap);

        Assert.Equal(JobStatus.OutOfMemory, result.Status);
        Assert.Contains("64 MB", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Classify_OomKilledChildButGraderExitedZeroWithAResponse_IsTheGradersVerdict()
    {
        // The io grader's submission runs as a child: the kernel kills it, Docker sets OOMKilled, the grader fails the case.
        var outcome = Exited("""{"success":true,"grade":0,"comments":["Case 1 failed: exited with status -9"]}""") with { OomKilled = true };

        var result = CreateSut().Classify(s_job, outcome, Cap);

        Assert.Equal(JobStatus.Graded, result.Status);
        Assert.Equal(0, result.Grade);
    }

    [Fact]
    public void Classify_OomKilledExitZeroWithoutAValidResponse_IsOutOfMemory()
    {
        var outcome = Exited("""{"success":true,"grade":"x"}""") with { OomKilled = true };

        Assert.Equal(JobStatus.OutOfMemory, CreateSut().Classify(s_job, outcome, Cap).Status);
    }

    [Theory]
    [InlineData(true, false, "stdout")]
    [InlineData(false, true, "stderr")]
    public void Classify_OutputOverTheCap_IsOutputLimit(bool stdoutCut, bool stderrCut, string which)
    {
        var outcome = Exited("""{"success":true,"grade":3}""") with { StdoutTruncated = stdoutCut, StderrTruncated = stderrCut };

        var result = CreateSut().Classify(s_job, outcome, Cap);

        Assert.Equal(JobStatus.OutputLimit, result.Status);
        Assert.Equal($"the grader printed more than 1024 bytes on {which}", result.Error);
    }

    [Theory]
    [InlineData("garbage", "no BEGIN/END")]
    [InlineData("""{"success":true}""", "container_response.json")]
    [InlineData("""{"success":true,"grade":"10"}""", "container_response.json")]
    [InlineData("""{"success":true,"grade":11,"max_grade":10}""", "outside [0, max_grade=10]")]
    [InlineData("x\n---BEGIN CORRECTOMATIC RESPONSE---\n{\"success\":", "no END")]
    public void Classify_NoValidResponse_IsInvalidOutputWithTheReason(string stdout, string reason)
    {
        var result = CreateSut().Classify(s_job, Exited(stdout, stderr: "boom"), Cap);

        Assert.Equal(JobStatus.InvalidOutput, result.Status);
        Assert.Contains(reason, result.Error, StringComparison.Ordinal);
        Assert.Equal("boom", result.StderrTail);
    }

    [Fact]
    public void Classify_Vanished_IsError()
    {
        var result = CreateSut().Classify(s_job, ContainerOutcome.Vanished("the container was removed"), Cap);

        Assert.Equal(JobStatus.Error, result.Status);
        Assert.Equal("the container was removed", result.Error);
        Assert.Null(result.ExitCode);
    }

    [Fact]
    public void Classify_EveryResult_MatchesTheCallbackSchema()
    {
        var sut = CreateSut();
        ContainerOutcome[] outcomes =
        [
            Exited("""{"success":true,"grade":1}"""), Exited("""{"success":false,"error":"e"}"""), Exited("x"),
            Exited("") with { TimedOut = true }, Exited("") with { OomKilled = true }, Exited("") with { StdoutTruncated = true },
            ContainerOutcome.Vanished("gone"), Exited("") with { NeverStarted = true },
        ];

        foreach (var outcome in outcomes)
        {
            var json = ContractJson.Serialize(sut.Classify(s_job, outcome, Cap));
            Assert.Empty(SchemaCatalog.Default.Validate(SchemaName.CorrectomaticResponse, json));
        }
    }

    [Fact]
    public void Classify_FinishedStampedBeforeStarted_DurationIsZero()
    {
        var outcome = Exited("""{"success":true,"grade":1}""") with { FinishedAt = s_started.AddMilliseconds(-1) };

        Assert.Equal(0, CreateSut().Classify(s_job, outcome, Cap).Timings!.DurationMs);
    }

    [Theory]
    [InlineData("short", 16, "short")]
    [InlineData("0123456789abcdefXYZ", 3, "XYZ")]
    [InlineData("aé", 1, null)] // the tail would start inside 'é': skipped, nothing left
    [InlineData("éa", 2, "a")]
    public void StderrTail_CutsAtWholeCharacters(string stderr, int max, string? expected) =>
        Assert.Equal(expected, OutcomeClassifier.StderrTail(Encoding.UTF8.GetBytes(stderr), max));

    public static TheoryData<string, string> Unwritable()
    {
        var deep = new string('[', 3000) + new string(']', 3000);
        return new()
        {
            { """{"success":true,"comments":["\ud800"]}""", "the string at #/comments/0 holds a lone UTF-16 surrogate" },
            { """{"success":false,"error":"\udfff broken"}""", "the string at #/error holds a lone UTF-16 surrogate" },
            { """{"success":true,"tests":[{"name":"\ud800","status":"passed"}]}""", "the string at #/tests/0/name holds a lone UTF-16 surrogate" },
            { """{"success":true,"tests":[{"\ud800":1}]}""", "a key in #/tests/0 holds a lone UTF-16 surrogate" },
            { """{"success":true,"grade":1e400}""", "the number at #/grade (1e400) is beyond the range of a double" },
            { """{"success":true,"grade":1,"max_grade":-1e999}""", "the number at #/max_grade (-1e999) is beyond the range of a double" },
            { "{\"success\":true,\"tests\":" + deep + "}", "nested deeper than 63 levels" },
            { deep, "nested deeper than 63 levels" },
        };
    }

    [Theory]
    [MemberData(nameof(Unwritable))]
    public void Classify_ResponseThatCannotBeWritten_IsInvalidOutputWithTheReasonAndSerialises(string response, string reason)
    {
        foreach (var stdout in new[] { response, $"noise\n---BEGIN CORRECTOMATIC RESPONSE---\n{response}\n---END CORRECTOMATIC RESPONSE---\n" })
        {
            var result = CreateSut().Classify(s_job, Exited(stdout), Cap * 1024);

            Assert.Equal(JobStatus.InvalidOutput, result.Status);
            Assert.False(result.Success);
            Assert.Contains(reason, result.Error, StringComparison.Ordinal);
            var written = ContractJson.Serialize(new FinishedJob { JobId = s_job.JobId, Callback = s_job.Callback, Response = result });
            using var document = System.Text.Json.JsonDocument.Parse(written);
            Assert.NotEmpty(Correctomatic.Notifier.Delivery.CanonicalJson.ToUtf8Bytes(document.RootElement.GetProperty("response")));
        }
    }

    /// <summary>A grader response <paramref name="depth"/> levels deep: a test whose <c>detail</c> nests arrays.</summary>
    private static string Nested(int depth) =>
        """{"success":true,"grade":1,"max_grade":1,"tests":[{"name":"t","status":"passed","detail":"""
        + new string('[', depth - 3) + new string(']', depth - 3) + "}]}";

    [Fact]
    public void Classify_ResponseAtTheDepthLimit_GradedAndTheNotifierCanSendIt()
    {
        // The finished entry wraps the response one level deeper, and every reader after the completer stops at 64
        // levels: a response the completer accepts must still be one the notifier can read, or its verdict is lost.
        var result = CreateSut().Classify(s_job, Exited(Nested(WritableJson.MaxDepth)), Cap * 1024);
        Assert.True(result.Status == JobStatus.Graded, result.Error);

        var written = ContractJson.Serialize(new FinishedJob { JobId = s_job.JobId, Callback = s_job.Callback, Response = result });
        var parse = new Correctomatic.Notifier.Delivery.CallbackBody(SchemaCatalog.Default).Parse(written);

        Assert.Null(parse.Error);
    }

    [Fact]
    public void Classify_ResponseOneLevelPastTheLimit_InvalidOutputNamingTheDepth()
    {
        var result = CreateSut().Classify(s_job, Exited(Nested(WritableJson.MaxDepth + 1)), Cap * 1024);

        Assert.Equal(JobStatus.InvalidOutput, result.Status);
        Assert.Contains($"nested deeper than {WritableJson.MaxDepth} levels", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Classify_IntegerBeyondSixtyFourBits_InvalidOutputNamingWhere()
    {
        var result = CreateSut().Classify(s_job, Exited("""{"success":true,"grade":99999999999999999999999,"max_grade":10}"""), Cap);

        Assert.Equal(JobStatus.InvalidOutput, result.Status);
        Assert.Contains("#/grade: the integer 99999999999999999999999 is out of range", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Classify_ValidSurrogatePair_StaysGraded()
    {
        var result = CreateSut().Classify(s_job, Exited("""{"success":true,"comments":["\ud83d\ude00 well done"]}"""), Cap);

        Assert.Equal(JobStatus.Graded, result.Status);
        Assert.Equal(["\U0001F600 well done"], result.Comments);
    }

    [Fact]
    public void Classify_EngineTimes_AreTheTimingsInOrderWithTheDurationBetweenThem()
    {
        var outcome = Exited("""{"success":true,"grade":1}""") with { StartedAt = s_started.AddTicks(5_000), FinishedAt = s_started.AddMilliseconds(-1) };

        var timings = CreateSut().Classify(s_job, outcome, Cap).Timings!;

        Assert.Equal(s_job.QueuedAt, timings.QueuedAt);
        Assert.True(timings.QueuedAt <= timings.StartedAt && timings.StartedAt <= timings.FinishedAt);
        Assert.Equal(s_started.AddMilliseconds(-1), timings.FinishedAt);
        Assert.Equal(0, timings.DurationMs);
    }
}
