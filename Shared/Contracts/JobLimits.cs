using System.Text.Json.Serialization;

namespace Correctomatic.Shared.Contracts;

/// <summary>Per-job limits a producer may ask for; never above the configured maximum (issue #2).</summary>
public sealed record JobLimits
{
    [JsonPropertyName("timeout_seconds")] public double? TimeoutSeconds { get; init; }
    [JsonPropertyName("memory_mb")] public long? MemoryMb { get; init; }
    [JsonPropertyName("cpus")] public double? Cpus { get; init; }
    [JsonPropertyName("pids")] public long? Pids { get; init; }

    /// <summary>The size of the job's /tmp in MiB, at most the configured CONTAINER_TMP_MB (a job may ask for less; issue #14).</summary>
    [JsonPropertyName("tmp_mb")] public long? TmpMb { get; init; }
}
