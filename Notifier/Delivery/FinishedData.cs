using System.Text.Json;
using System.Text.Json.Serialization;

namespace Correctomatic.Notifier.Delivery;

/// <summary>
/// The <c>data</c> of a <c>finished</c> entry (schemas/finished.json) as the notifier reads it: the response kept as
/// JSON, not as <see cref="Shared.Contracts.CorrectionResult"/>, so the callback carries every field the grader wrote.
/// </summary>
public sealed record FinishedData
{
    [JsonPropertyName("job_id")] public required string JobId { get; init; }
    [JsonPropertyName("callback")] public required string Callback { get; init; }
    [JsonPropertyName("response")] public required JsonElement Response { get; init; }
}
