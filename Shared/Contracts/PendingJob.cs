using System.Text.Json.Serialization;

namespace Correctomatic.Shared.Contracts;

/// <summary>The <c>data</c> of a <c>pending</c> entry (schemas/pending.json). Field names are Correctomatic's.</summary>
public sealed record PendingJob
{
    [JsonPropertyName("image")] public string Image { get; init; } = "";
    [JsonPropertyName("callback")] public string Callback { get; init; } = "";
    [JsonPropertyName("work_id")] public string? WorkId { get; init; }
    [JsonPropertyName("file")] public string? File { get; init; }
    [JsonPropertyName("file_content")] public string? FileContent { get; init; }
    [JsonPropertyName("params")] public IReadOnlyList<string>? Params { get; init; }
    [JsonPropertyName("limits")] public JobLimits? Limits { get; init; }
}
