using System.Text.Json.Serialization;

namespace Correctomatic.Shared.Contracts;

/// <summary>When a job was queued, started and finished; travels in the callback body.</summary>
public sealed record JobTimings
{
    [JsonPropertyName("queued_at")] public DateTimeOffset? QueuedAt { get; init; }
    [JsonPropertyName("started_at")] public DateTimeOffset? StartedAt { get; init; }
    [JsonPropertyName("finished_at")] public DateTimeOffset? FinishedAt { get; init; }
    [JsonPropertyName("duration_ms")] public long? DurationMs { get; init; }
}
