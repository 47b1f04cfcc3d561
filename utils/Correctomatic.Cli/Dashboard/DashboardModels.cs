using Correctomatic.Cli.Operations;
using Correctomatic.Shared.Redis;

namespace Correctomatic.Cli.Dashboard;

/// <summary>Everything on the main page, read in one go.</summary>
public sealed record DashboardSnapshot(
    DateTimeOffset At,
    IReadOnlyList<QueueReport> Queues,
    IReadOnlyList<StatusCount> Statuses,
    IReadOnlyList<StageThroughput> Throughput,
    CallbackRates Callbacks,
    IReadOnlyList<HostContainers> Containers,
    string? ContainersError,
    IReadOnlyList<StreamEntry> DeadLetters);

/// <summary>How many jobs are in one state: queued, running, a finished status (graded, timeout, …), dead.</summary>
public sealed record StatusCount(string Status, long Count);

/// <summary>Entries added to one stage's stream per minute over the last hour, oldest first.</summary>
public sealed record StageThroughput(string Stage, IReadOnlyList<int> PerMinute)
{
    public int Total => PerMinute.Sum();
}

/// <summary>Callbacks over the last hour: delivered (acknowledged, not dead), being retried now, dead-lettered.</summary>
public sealed record CallbackRates(long Delivered, long Retrying, long Dead, long Waiting);

public sealed record HostContainers(string DockerHost, int Running, int Other);

/// <summary>One job as found by id or work id.</summary>
public sealed record JobView(
    string JobId,
    string? WorkId,
    string? Status,
    string Verdict,
    IReadOnlyList<TimelineStep> Timeline,
    string? SignedBody,
    string BodySource,
    IReadOnlyList<StreamEntry> DeadEntries);

/// <summary>One step of a job's life, with its time when known and where that came from.</summary>
public sealed record TimelineStep(string Step, DateTimeOffset? At, string Source);
