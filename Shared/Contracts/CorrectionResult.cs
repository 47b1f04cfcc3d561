using System.Text.Json;
using System.Text.Json.Serialization;

namespace Correctomatic.Shared.Contracts;

/// <summary>
/// The callback body (schemas/correctomatic_response.json). Correctomatic's fields keep their names and meaning
/// (<c>success</c>, <c>work_id</c>, <c>grade</c>, <c>comments</c>, <c>error</c>); the rest is ours.
/// </summary>
public sealed record CorrectionResult
{
    [JsonPropertyName("success")] public bool Success { get; init; }

    // Always written, null included: Correctomatic's receivers read work_id on every callback.
    [JsonPropertyName("work_id"), JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? WorkId { get; init; }

    [JsonPropertyName("job_id")] public required string JobId { get; init; }
    [JsonPropertyName("status")] public required JobStatus Status { get; init; }
    [JsonPropertyName("grade")] public double? Grade { get; init; }
    [JsonPropertyName("max_grade")] public double? MaxGrade { get; init; }
    [JsonPropertyName("comments")] public IReadOnlyList<string>? Comments { get; init; }
    [JsonPropertyName("error")] public string? Error { get; init; }
    [JsonPropertyName("tests")] public JsonElement? Tests { get; init; }
    [JsonPropertyName("exit_code")] public long? ExitCode { get; init; }
    [JsonPropertyName("stderr_tail")] public string? StderrTail { get; init; }
    [JsonPropertyName("timings")] public JobTimings? Timings { get; init; }

    /// <summary>A job that never started: invalid input, not allowed, bad signature.</summary>
    public static CorrectionResult Rejected(string jobId, string? workId, string error, JobTimings? timings = null) =>
        new() { Success = false, JobId = jobId, WorkId = workId, Status = JobStatus.Rejected, Error = error, Timings = timings };

    /// <summary>An infrastructure failure.</summary>
    public static CorrectionResult Failed(string jobId, string? workId, string error, JobTimings? timings = null) =>
        new() { Success = false, JobId = jobId, WorkId = workId, Status = JobStatus.Error, Error = error, Timings = timings };
}
