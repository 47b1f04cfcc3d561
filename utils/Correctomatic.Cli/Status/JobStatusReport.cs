using System.Text.Json.Serialization;
using Correctomatic.Notifier.Delivery;

namespace Correctomatic.Cli.Status;

/// <summary>
/// Where one job is, as <c>status --json</c> prints it (README, "Job status"). Every field is always present (null when
/// not known yet), so a script can read the document without probing for keys.
/// </summary>
public sealed record JobStatusReport(
    [property: JsonPropertyName("job_id")] string JobId,
    [property: JsonPropertyName("work_id")] string? WorkId,
    [property: JsonPropertyName("state")] JobState State,
    [property: JsonPropertyName("final")] bool Final,
    [property: JsonPropertyName("summary")] string Summary,
    [property: JsonPropertyName("timings")] StatusTimings Timings,
    [property: JsonPropertyName("starter")] PendingHoldReport? Starter,
    [property: JsonPropertyName("container")] ContainerReport? Container,
    [property: JsonPropertyName("completer")] PendingHoldReport? Completer,
    [property: JsonPropertyName("verdict")] VerdictReport? Verdict,
    [property: JsonPropertyName("callback")] CallbackReport? Callback,
    [property: JsonPropertyName("dead")] IReadOnlyList<DeadReport> Dead);

/// <summary>The stages of a job's life, in order; <see cref="Delivered"/> and <see cref="Dead"/> are final.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<JobState>))]
public enum JobState
{
    /// <summary>In <c>pending</c>, not yet read by a starter.</summary>
    [JsonStringEnumMemberName("pending")] Pending,

    /// <summary>Read by a starter that has not handed it off yet (in the starter group's pending entries list).</summary>
    [JsonStringEnumMemberName("starting")] Starting,

    /// <summary>In <c>running</c>: its container runs (or has exited and waits for a completer).</summary>
    [JsonStringEnumMemberName("running")] Running,

    /// <summary>In <c>finished</c>, its callback not delivered yet.</summary>
    [JsonStringEnumMemberName("finished")] Finished,

    /// <summary>Its callback was delivered (2xx), or the notifier acknowledged its finished entry.</summary>
    [JsonStringEnumMemberName("delivered")] Delivered,

    /// <summary>In <c>dead</c>: no stage could take it further.</summary>
    [JsonStringEnumMemberName("dead")] Dead,
}

/// <summary>When the job was queued (its id's time), started and finished (the engine's clock), and delivered (the notifier's attempt).</summary>
public sealed record StatusTimings(
    [property: JsonPropertyName("queued_at")] DateTimeOffset? QueuedAt,
    [property: JsonPropertyName("started_at")] DateTimeOffset? StartedAt,
    [property: JsonPropertyName("finished_at")] DateTimeOffset? FinishedAt,
    [property: JsonPropertyName("duration_ms")] long? DurationMs,
    [property: JsonPropertyName("delivered_at")] DateTimeOffset? DeliveredAt);

/// <summary>A consumer holding the job's entry unacknowledged: its group, name, deliveries so far (attempts) and idle time.</summary>
public sealed record PendingHoldReport(
    [property: JsonPropertyName("group")] string Group,
    [property: JsonPropertyName("consumer")] string Consumer,
    [property: JsonPropertyName("deliveries")] int Deliveries,
    [property: JsonPropertyName("idle_ms")] long IdleMs);

/// <summary>
/// The job's container: id, engine and deadline from the running entry (or the labels, while being started);
/// <see cref="State"/> from the engine this CLI reaches, null when that engine does not have it (or is another host's).
/// </summary>
public sealed record ContainerReport(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("docker_host")] string? DockerHost,
    [property: JsonPropertyName("image")] string? Image,
    [property: JsonPropertyName("deadline")] DateTimeOffset? Deadline,
    [property: JsonPropertyName("state")] string? State);

/// <summary>The result in the finished entry: the callback body's status, grade and error.</summary>
public sealed record VerdictReport(
    [property: JsonPropertyName("status")] string? Status,
    [property: JsonPropertyName("grade")] double? Grade,
    [property: JsonPropertyName("max_grade")] double? MaxGrade,
    [property: JsonPropertyName("error")] string? Error);

/// <summary>The callback: delivered or not, and the notifier's attempts (its attempt history, or the list on the dead entry).</summary>
public sealed record CallbackReport(
    [property: JsonPropertyName("delivered")] bool Delivered,
    [property: JsonPropertyName("attempts")] IReadOnlyList<AttemptOutcome> Attempts);

/// <summary>One dead entry of the job: where it died and why.</summary>
public sealed record DeadReport(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("at")] DateTimeOffset? At,
    [property: JsonPropertyName("source")] string? Source,
    [property: JsonPropertyName("source_id")] string? SourceId,
    [property: JsonPropertyName("reason")] string? Reason);
