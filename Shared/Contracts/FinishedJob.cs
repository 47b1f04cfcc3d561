using System.Text.Json.Serialization;

namespace Correctomatic.Shared.Contracts;

/// <summary>The <c>data</c> of a <c>finished</c> entry (schemas/finished.json): the callback to call and its body.</summary>
public sealed record FinishedJob
{
    [JsonPropertyName("job_id")] public required string JobId { get; init; }
    [JsonPropertyName("callback")] public required string Callback { get; init; }
    [JsonPropertyName("response")] public required CorrectionResult Response { get; init; }
}
