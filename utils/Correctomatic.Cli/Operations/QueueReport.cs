namespace Correctomatic.Cli.Operations;

/// <summary>What <c>queues</c> prints: per stream, its length and each consumer group's state. <see cref="EntriesAdded"/>: every XADD ever made (null before Redis 7).</summary>
public sealed record QueueReport(string Stream, bool Exists, long Length, IReadOnlyList<GroupReport> Groups, long? EntriesAdded = null);

/// <summary>One consumer group: <see cref="EntriesRead"/> counts the entries it was ever given (null when Redis cannot tell, e.g. before 7.0).</summary>
public sealed record GroupReport(string Name, long Pending, long? Lag, TimeSpan? OldestPendingIdle, IReadOnlyList<ConsumerReport> Consumers, long? EntriesRead = null);

public sealed record ConsumerReport(string Name, long Pending, TimeSpan Idle);
