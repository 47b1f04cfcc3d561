namespace Correctomatic.Shared.Hosting;

/// <summary>
/// The Redis reads the operations endpoint makes (issue #16): a ping for readiness and a periodic look at the stage's
/// streams for the queue gauges. Deliberately tiny and apart from the Redis client: each service's wiring registers an
/// implementation (<see cref="Probes.RedisQueueProbe"/>), so a new Redis adapter only re-registers it.
/// </summary>
public interface IQueueProbe
{
    /// <summary>Returns when Redis answered; throws otherwise.</summary>
    Task PingAsync(CancellationToken cancellationToken);

    /// <summary>Length of each watched stream and, per consumer group, its pending count and lag.</summary>
    Task<IReadOnlyList<QueueSample>> SampleAsync(CancellationToken cancellationToken);
}

/// <summary>One stream's numbers; <see cref="Group"/> null for the stream's own length line.</summary>
public sealed record QueueSample(string Stream, string? Group, long Length, long? Pending, long? Lag);
