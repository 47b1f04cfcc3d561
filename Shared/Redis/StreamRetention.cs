namespace Correctomatic.Shared.Redis;

/// <summary>
/// How long entries stay in a stream (issue #3: bounded memory): an entry goes once it is older than <see cref="MaxAge"/>
/// or beyond the newest <see cref="MaxLength"/>, but never while a consumer group has not yet read or acknowledged it,
/// as its work is not done and a consumer may die holding it.
/// </summary>
public sealed record StreamRetention
{
    public TimeSpan MaxAge { get; init; } = TimeSpan.FromDays(1);

    public long MaxLength { get; init; } = 10_000;

    /// <summary>How often <see cref="StreamQueue.ReclaimAsync"/> also trims (a trim costs a few commands).</summary>
    public TimeSpan TrimInterval { get; init; } = TimeSpan.FromMinutes(1);
}
