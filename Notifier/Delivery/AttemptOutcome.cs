using System.Text.Json.Serialization;

namespace Correctomatic.Notifier.Delivery;

/// <summary>
/// The outcome of one attempt, as kept in the job's attempt history in Redis and listed on its dead entry.
/// <see cref="RetryAfter"/> is the receiver's Retry-After, when it sent one.
/// </summary>
public sealed record AttemptOutcome
{
    [JsonPropertyName("attempt")] public int Attempt { get; init; }
    [JsonPropertyName("at")] public DateTimeOffset At { get; init; }
    [JsonPropertyName("kind"), JsonConverter(typeof(JsonStringEnumConverter<AttemptKind>))] public AttemptKind Kind { get; init; }
    [JsonPropertyName("status")] public int? StatusCode { get; init; }
    [JsonPropertyName("detail")] public string Detail { get; init; } = "";
    [JsonPropertyName("elapsed_ms")] public long ElapsedMs { get; init; }
    [JsonPropertyName("retry_after_ms")] public long? RetryAfterMs { get; init; }

    [JsonIgnore] public TimeSpan? RetryAfter => RetryAfterMs is { } ms ? TimeSpan.FromMilliseconds(ms) : null;

    public override string ToString() =>
        $"#{Attempt} {At:O} {Kind.ToString().ToLowerInvariant()}{(StatusCode is { } s ? " " + s : "")} {Detail}".TrimEnd();
}
