using System.Globalization;
using System.Text;
using System.Text.Json;
using Correctomatic.Shared.Contracts;
using Correctomatic.Shared.Schemas;

namespace Correctomatic.Completer.Outcome;

/// <summary>
/// Turns a finished container into the callback body (issue #6). Precedence, first match wins: vanished → <c>error</c>;
/// past the deadline → <c>timeout</c>; killed for memory → <c>out_of_memory</c> (unless the grader itself survived: exit 0
/// and a valid response); more output than the cap →
/// <c>output_limit</c>; no response, or one that breaks schemas/container_response.json → <c>invalid_output</c>;
/// otherwise the grader's own verdict → <c>graded</c> / <c>grader_failed</c>. The exit code does not change a valid
/// response's verdict (a grader may exit 1 because tests failed); it travels with the result, as does a stderr tail on failure.
/// </summary>
public sealed class OutcomeClassifier(SchemaCatalog schemas, int stderrTailBytes)
{
    public CorrectionResult Classify(RunningJob job, ContainerOutcome outcome, long outputLimitBytes)
    {
        var result = Verdict(job, outcome, outputLimitBytes) with
        {
            ExitCode = outcome.ExitCode,
            Timings = Timings(job, outcome),
        };
        return EnsureWritable(job, result.Status == JobStatus.Graded ? result : result with { StderrTail = StderrTail(outcome.Stderr, stderrTailBytes) });
    }

    /// <summary>
    /// An infrastructure fault (<see cref="InfrastructureFault"/>) with no attempt left: status error and
    /// <paramref name="error"/>, whatever the grader printed before it was interrupted.
    /// </summary>
    public CorrectionResult InfrastructureError(RunningJob job, ContainerOutcome outcome, string error) =>
        Failure(job, JobStatus.Error, error) with
        {
            ExitCode = outcome.ExitCode,
            Timings = Timings(job, outcome),
            StderrTail = StderrTail(outcome.Stderr, stderrTailBytes),
        };

    /// <summary>The last <paramref name="maxBytes"/> bytes of stderr as text, starting on a whole UTF-8 character; null when empty.</summary>
    public static string? StderrTail(ReadOnlySpan<byte> stderr, int maxBytes)
    {
        if (stderr.IsEmpty || maxBytes <= 0)
        {
            return null;
        }

        var tail = stderr.Length <= maxBytes ? stderr : stderr[^maxBytes..];
        var skip = 0;
        while (skip < tail.Length && skip < 3 && (tail[skip] & 0b1100_0000) == 0b1000_0000)
        {
            skip++; // continuation bytes of a character cut at the start
        }

        var text = Encoding.UTF8.GetString(tail[skip..]).TrimEnd();
        return text.Length == 0 ? null : text;
    }

    private CorrectionResult Verdict(RunningJob job, ContainerOutcome outcome, long outputLimitBytes)
    {
        if (outcome.VanishedReason is { } vanished)
        {
            return Failure(job, JobStatus.Error, vanished);
        }

        if (outcome.StillRunning)
        {
            // Callers wait for the end before classifying (JobCompletion, GraderTrial); reaching here is our bug, said plainly.
            return Failure(job, JobStatus.Error, "the grader container was still running when its result was read");
        }

        if (outcome.NeverStarted)
        {
            return Failure(job, JobStatus.Error, "the grader container never started before its deadline");
        }

        if (outcome.TimedOut)
        {
            // The limit the job ran under; entries from before timeout_seconds existed fall back to the time it had.
            var limit = job.TimeoutSeconds ?? (job.Deadline - job.StartedAt).TotalSeconds;
            return Failure(job, JobStatus.Timeout, $"the grader ran past its time limit of {limit.ToString("0.###", CultureInfo.InvariantCulture)} s and was killed");
        }

        if (outcome.OomKilled && !GraderSurvivedOom(outcome))
        {
            var limit = job.MemoryMb is { } mb ? $" of {mb} MB" : "";
            return Failure(job, JobStatus.OutOfMemory, $"the grader ran out of memory (limit{limit}) and was killed by the kernel");
        }

        if (outcome.StdoutTruncated || outcome.StderrTruncated)
        {
            var which = outcome.StdoutTruncated ? "stdout" : "stderr";
            return Failure(job, JobStatus.OutputLimit, $"the grader printed more than {outputLimitBytes} bytes on {which}");
        }

        var extracted = ResponseExtractor.Extract(Encoding.UTF8.GetString(outcome.Stdout));
        if (!extracted.IsFound)
        {
            return Failure(job, JobStatus.InvalidOutput, "no valid response: " + extracted.Problem);
        }

        if (WritableJson.Problem(extracted.Json) is { } unwritable)
        {
            // Before the schema: a response the result could not carry must not reach the writer (issue #15).
            return Failure(job, JobStatus.InvalidOutput, "the response cannot be written as JSON: " + unwritable);
        }

        var errors = schemas.Validate(SchemaName.ContainerResponse, extracted.Json);
        if (errors.Count > 0)
        {
            return Failure(job, JobStatus.InvalidOutput, "the response does not match container_response.json: " + string.Join("; ", errors.Take(5)));
        }

        return FromResponse(job, extracted.Json);
    }

    /// <summary>
    /// The last guard before the hand-off: a result that cannot be serialised (a case <see cref="WritableJson"/> missed)
    /// becomes <c>invalid_output</c> with the writer's reason, never an exception the completion would retry forever.
    /// </summary>
    private static CorrectionResult EnsureWritable(RunningJob job, CorrectionResult result)
    {
        try
        {
            _ = ContractJson.Serialize(result);
            return result;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or JsonException or NotSupportedException)
        {
            return Failure(job, JobStatus.InvalidOutput, "the response cannot be written as JSON: " + ex.Message) with
            {
                ExitCode = result.ExitCode,
                Timings = result.Timings,
            };
        }
    }

    /// <summary>
    /// Docker's OOMKilled says the kernel killed *a* process in the container's cgroup (cgroup v2 memory.events
    /// oom_kill), not that it killed the grader. A grader that runs the submission as a child (the io grader), sees it
    /// killed, and exits 0 with a valid response has completed the correction (images/README.md, "Exit code"): its
    /// verdict stands, the child's death is one of its failed cases. Found by the pipeline tests (issue #9).
    /// </summary>
    private bool GraderSurvivedOom(ContainerOutcome outcome)
    {
        if (outcome.ExitCode != 0 || outcome.StdoutTruncated || outcome.StderrTruncated)
        {
            return false;
        }

        var extracted = ResponseExtractor.Extract(Encoding.UTF8.GetString(outcome.Stdout));
        return extracted.IsFound && schemas.Validate(SchemaName.ContainerResponse, extracted.Json).Count == 0;
    }

    private static CorrectionResult FromResponse(RunningJob job, string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        double? Number(string name) => root.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.Number ? p.GetDouble() : null;

        if (!root.GetProperty("success").GetBoolean())
        {
            return Failure(job, JobStatus.GraderFailed, root.GetProperty("error").GetString() ?? "");
        }

        var grade = Number("grade");
        var maxGrade = Number("max_grade");
        if (grade is { } g && maxGrade is { } max && (g < 0 || g > max))
        {
            // container_response.json: "Within [0, max_grade] when max_grade is given" — draft-07 cannot say it.
            return Failure(job, JobStatus.InvalidOutput, $"the response's grade {g.ToString(CultureInfo.InvariantCulture)} is outside [0, max_grade={max.ToString(CultureInfo.InvariantCulture)}]");
        }

        return new CorrectionResult
        {
            Success = true,
            JobId = job.JobId,
            WorkId = job.WorkId,
            Status = JobStatus.Graded,
            Grade = grade,
            MaxGrade = maxGrade,
            Comments = root.TryGetProperty("comments", out var comments) ? comments.EnumerateArray().Select(c => c.GetString() ?? "").ToList() : null,
            Tests = root.TryGetProperty("tests", out var tests) ? tests.Clone() : null,
        };
    }

    private static CorrectionResult Failure(RunningJob job, JobStatus status, string error) =>
        new() { Success = false, JobId = job.JobId, WorkId = job.WorkId, Status = status, Error = error };

    /// <summary>The engine's StartedAt and FinishedAt (one clock for the container); the starter's start time only when the engine has none.</summary>
    private static JobTimings Timings(RunningJob job, ContainerOutcome outcome) =>
        JobTimings.Of(job.QueuedAt, outcome.StartedAt ?? job.StartedAt, outcome.FinishedAt);
}
