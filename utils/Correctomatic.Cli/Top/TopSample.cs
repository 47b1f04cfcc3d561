using Correctomatic.Cli.Dashboard;
using Correctomatic.Cli.Operations;
using Correctomatic.Shared.Redis;

namespace Correctomatic.Cli.Top;

/// <summary>One reading for <c>top</c>: the streams and groups, our containers per Docker host, and the newest dead entries.</summary>
public sealed record TopSample(
    DateTimeOffset At,
    IReadOnlyList<QueueReport> Queues,
    IReadOnlyList<HostContainers> Containers,
    string? ContainersError,
    IReadOnlyList<StreamEntry> NewestDead)
{
    /// <summary>How many dead entries to list under the counts.</summary>
    public const int DeadShown = 5;

    /// <summary>Reads everything through the dashboard's reads (one place for Redis) and its container listing.</summary>
    public static async Task<TopSample> ReadAsync(DashboardReads reads, DashboardQueries queries, TimeProvider time, CancellationToken cancellationToken)
    {
        var queues = await reads.QueuesAsync(cancellationToken);
        var (containers, error) = await queries.ContainersAsync(cancellationToken);
        var dead = await reads.NewestAsync(reads.Streams.Dead, DeadShown, cancellationToken);
        return new TopSample(time.GetUtcNow(), queues, containers, error, dead);
    }
}
