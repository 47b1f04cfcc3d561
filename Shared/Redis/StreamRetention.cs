using Correctomatic.Shared.Configuration;

namespace Correctomatic.Shared.Redis;

/// <summary>
/// How long acknowledged entries stay in a stream (issue #3: bounded memory). An entry is removed once it is older than
/// <see cref="MaxAge"/> OR beyond the newest <see cref="MaxLength"/> entries — but NEVER while any consumer group has
/// not yet read or acknowledged it ("hidden, not removed, until its work is done", 001_7bbc1e78d041407d.txt).
/// </summary>
public sealed record StreamRetention
{
    public TimeSpan MaxAge { get; init; } = TimeSpan.FromDays(1);

    public long MaxLength { get; init; } = 10_000;

    /// <summary>How often <see cref="StreamQueue.ReclaimAsync"/> also trims (the trim itself costs a few commands).</summary>
    public TimeSpan TrimInterval { get; init; } = TimeSpan.FromMinutes(1);

    public static StreamRetention Read(SettingsReader reader) => new()
    {
        MaxAge = reader.Duration("QUEUE_RETENTION_MAX_AGE", TimeSpan.FromDays(1), TimeSpan.Zero, TimeSpan.FromDays(365)),
        MaxLength = reader.Long("QUEUE_RETENTION_MAX_LENGTH", 10_000, 0, long.MaxValue),
        TrimInterval = reader.Duration("QUEUE_TRIM_INTERVAL", TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(1), TimeSpan.FromDays(1)),
    };
}
