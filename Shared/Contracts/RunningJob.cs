using System.Text.Json.Serialization;

namespace Correctomatic.Shared.Contracts;

/// <summary>The <c>data</c> of a <c>running</c> entry (schemas/running.json).</summary>
public sealed record RunningJob
{
    [JsonPropertyName("job_id")] public required string JobId { get; init; }
    [JsonPropertyName("work_id")] public string? WorkId { get; init; }
    [JsonPropertyName("container_id")] public required string ContainerId { get; init; }

    /// <summary>Id of the Docker engine that runs the container; only that engine's completer completes the job.</summary>
    [JsonPropertyName("docker_host")] public required string DockerHost { get; init; }

    [JsonPropertyName("image")] public required string Image { get; init; }
    [JsonPropertyName("callback")] public required string Callback { get; init; }
    [JsonPropertyName("queued_at")] public required DateTimeOffset QueuedAt { get; init; }
    [JsonPropertyName("started_at")] public required DateTimeOffset StartedAt { get; init; }
    [JsonPropertyName("deadline")] public required DateTimeOffset Deadline { get; init; }
    [JsonPropertyName("memory_mb")] public long? MemoryMb { get; init; }

    /// <summary>The job's wall-clock limit as configured or asked for; the deadline counts from container creation, so it is what a timeout message should name.</summary>
    [JsonPropertyName("timeout_seconds")] public double? TimeoutSeconds { get; init; }
}
