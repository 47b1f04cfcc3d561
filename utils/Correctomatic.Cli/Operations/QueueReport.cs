namespace Correctomatic.Cli.Operations;

/// <summary>What <c>queues</c> prints: per stream, its length and each consumer group's state.</summary>
public sealed record QueueReport(string Stream, bool Exists, long Length, IReadOnlyList<GroupReport> Groups);

public sealed record GroupReport(string Name, long Pending, long? Lag, TimeSpan? OldestPendingIdle, IReadOnlyList<ConsumerReport> Consumers);

public sealed record ConsumerReport(string Name, long Pending, TimeSpan Idle);
