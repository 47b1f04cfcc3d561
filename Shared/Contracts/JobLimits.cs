using System.Text.Json.Serialization;

namespace Correctomatic.Shared.Contracts;

/// <summary>Per-job limits a producer may ask for; never above the configured maximum (issue #2).</summary>
public sealed record JobLimits
{
    [JsonPropertyName("timeout_seconds")] public double? TimeoutSeconds { get; init; }
    [JsonPropertyName("memory_mb")] public long? MemoryMb { get; init; }
    [JsonPropertyName("cpus")] public double? Cpus { get; init; }
    [JsonPropertyName("pids")] public long? Pids { get; init; }
}
