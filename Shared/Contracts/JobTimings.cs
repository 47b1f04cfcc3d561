using System.Text.Json.Serialization;

namespace Correctomatic.Shared.Contracts;

/// <summary>When a job was queued, started and finished; travels in the callback body.</summary>
/// <remarks>
/// Build it with <see cref="Of"/>, which keeps the invariant of issue #15: <c>queued_at ≤ started_at ≤ finished_at</c>
/// and <c>duration_ms = finished_at − started_at</c>, in whole milliseconds.
/// </remarks>
public sealed record JobTimings
{
    [JsonPropertyName("queued_at")] public DateTimeOffset? QueuedAt { get; init; }
    [JsonPropertyName("started_at")] public DateTimeOffset? StartedAt { get; init; }
    [JsonPropertyName("finished_at")] public DateTimeOffset? FinishedAt { get; init; }
    [JsonPropertyName("duration_ms")] public long? DurationMs { get; init; }

    /// <summary>
    /// The timings of one job from its sources: <paramref name="queued"/> from the pending entry's id (the clock of the
    /// Redis server that took the producer's XADD), <paramref name="started"/> and <paramref name="finished"/> from the
    /// engine's inspect (the clock of the machine that ran the container).
    /// </summary>
    /// <remarks>
    /// Two clocks meet here, so each value is truncated to the millisecond and the order is then enforced:
    /// <list type="bullet">
    /// <item>Docker records StartedAt after the process already runs, so a grader that ends at once shows a FinishedAt
    /// just before its StartedAt (seen in the demo: 20.8789 s against 20.8778 s). The process did start before it
    /// finished: started_at is then finished_at, and the duration 0.</item>
    /// <item>Skew between the Redis host and the engine host can put queued_at after started_at; the job was queued
    /// before it started, so queued_at is then shown as started_at (README, "Clocks").</item>
    /// </list>
    /// </remarks>
    public static JobTimings Of(DateTimeOffset? queued, DateTimeOffset? started, DateTimeOffset? finished)
    {
        var f = Truncate(finished);
        var s = Truncate(started);
        if (s is { } sv && f is { } fv && sv > fv)
        {
            s = f;
        }

        var q = Truncate(queued);
        if (q is { } qv && (s ?? f) is { } firstAfter && qv > firstAfter)
        {
            q = firstAfter;
        }

        return new JobTimings
        {
            QueuedAt = q,
            StartedAt = s,
            FinishedAt = f,
            DurationMs = s is { } a && f is { } b ? (long)(b - a).TotalMilliseconds : null,
        };
    }

    private static DateTimeOffset? Truncate(DateTimeOffset? value) =>
        value is { } v ? DateTimeOffset.FromUnixTimeMilliseconds(v.ToUnixTimeMilliseconds()) : null;
}
