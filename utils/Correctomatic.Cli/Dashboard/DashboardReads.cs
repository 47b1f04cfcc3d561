using System.Text.Json;
using Correctomatic.Cli.Operations;
using Correctomatic.Notifier.Delivery;
using Correctomatic.Notifier.Worker;
using Correctomatic.Shared.Contracts;
using Correctomatic.Shared.Redis;
using StackExchange.Redis;
using StreamEntry = Correctomatic.Shared.Redis.StreamEntry;

namespace Correctomatic.Cli.Dashboard;

/// <summary>
/// Every Redis read and write the dashboard makes, in one place (issue #17), typed, so a change of Redis client is
/// re-pointed here alone. The stream state comes from the CLI's <see cref="QueueInspector"/> and
/// <see cref="DeadLetterStore"/>; the notifier's attempt history from <see cref="RedisAttemptHistory"/>. Scans are
/// bounded by <see cref="ScanLimit"/> entries per stream (the streams are trimmed by the services anyway).
/// </summary>
public sealed class DashboardReads(RedisConnections redis, StreamNames streams)
{
    /// <summary>The most entries read from one stream for a search or a chart.</summary>
    public const int ScanLimit = 20_000;

    public StreamNames Streams => streams;

    public DeadLetterStore DeadLetters { get; } = new(redis, streams);

    public Task<IReadOnlyList<QueueReport>> QueuesAsync(CancellationToken cancellationToken) =>
        new QueueInspector(redis, streams).InspectAsync(cancellationToken);

    /// <summary>All entries of <paramref name="stream"/> still within retention (up to <see cref="ScanLimit"/>).</summary>
    public Task<IReadOnlyList<StreamEntry>> EntriesAsync(string stream, CancellationToken cancellationToken) =>
        redis.Database.XRangeAsync(stream, "-", "+", ScanLimit, cancellationToken);

    /// <summary>The entry <paramref name="id"/> of <paramref name="stream"/> (XRANGE id id), or null when it is not (or no longer) there.</summary>
    public async Task<StreamEntry?> EntryAsync(string stream, string id, CancellationToken cancellationToken) =>
        await redis.Database.XRangeAsync(stream, id, id, 1, cancellationToken) is [var entry, ..] ? entry : null;

    /// <summary>The newest <paramref name="count"/> entries of <paramref name="stream"/>, newest first.</summary>
    public Task<IReadOnlyList<StreamEntry>> NewestAsync(string stream, int count, CancellationToken cancellationToken) =>
        redis.Database.XRevRangeAsync(stream, count, cancellationToken);

    /// <summary>
    /// Who in <paramref name="group"/> holds entry <paramref name="id"/> unacknowledged (XPENDING key group id id 1): the
    /// consumer, how many times it was delivered and how long since; null when no consumer holds it (not read yet, or done).
    /// </summary>
    public async Task<PendingHold?> HolderAsync(string stream, string group, string id, CancellationToken cancellationToken)
    {
        var db = redis.Database;
        if (await db.KeyTypeAsync(stream).WaitAsync(cancellationToken) != RedisType.Stream
            || !(await db.StreamGroupInfoAsync(stream).WaitAsync(cancellationToken)).Any(g => g.Name == group))
        {
            return null;
        }

        var rows = await db.StreamPendingMessagesAsync(stream, group, 1, RedisValue.Null, id, id).WaitAsync(cancellationToken);
        return rows.Length == 0 ? null
            : new PendingHold(group, rows[0].ConsumerName!, rows[0].DeliveryCount, TimeSpan.FromMilliseconds(rows[0].IdleTimeInMilliseconds));
    }

    /// <summary>What the notifier group has not yet acknowledged in <c>finished</c>, and how far it has read (null: no group yet).</summary>
    public async Task<NotifierProgress> NotifierProgressAsync(CancellationToken cancellationToken)
    {
        var db = redis.Database;
        var none = new NotifierProgress(null, new HashSet<string>(StringComparer.Ordinal));
        if (await db.KeyTypeAsync(streams.Finished).WaitAsync(cancellationToken) != RedisType.Stream)
        {
            return none;
        }

        var group = (await db.StreamGroupInfoAsync(streams.Finished).WaitAsync(cancellationToken))
            .FirstOrDefault(g => g.Name == ConsumerGroups.Notifier);
        if (group.Name is null)
        {
            return none;
        }

        // XPENDING key group - + count: one row per unacknowledged entry.
        var pending = await db.StreamPendingMessagesAsync(streams.Finished, ConsumerGroups.Notifier, ScanLimit, RedisValue.Null)
            .WaitAsync(cancellationToken);
        var ids = new HashSet<string>(pending.Select(p => (string)p.MessageId!), StringComparer.Ordinal);
        return new NotifierProgress(group.LastDeliveredId, ids);
    }

    /// <summary>The notifier's attempts for <paramref name="jobId"/>; empty once delivered or dead-lettered (the notifier deletes it then).</summary>
    public Task<IReadOnlyList<AttemptOutcome>> AttemptsAsync(string jobId, CancellationToken cancellationToken) =>
        new RedisAttemptHistory(redis.Database, streams.Prefix).LoadAsync(jobId, cancellationToken);

    /// <summary>How many jobs have an attempt history now: callbacks being retried (SCAN).</summary>
    public async Task<long> RetryingCountAsync(CancellationToken cancellationToken) =>
        (await redis.Shared.ScanKeysAsync(new RedisAttemptHistory(redis.Database, streams.Prefix).Key("*"), cancellationToken)).Count;

    /// <summary>Appends one audit line to <c>{prefix}audit</c>, capped near 10,000 entries.</summary>
    public Task AppendAuditAsync(string who, string action, IReadOnlyList<string> ids, string outcome, CancellationToken cancellationToken) =>
        redis.Database.StreamAddAsync(streams.Prefix + "audit",
            [new("who", who), new("action", action), new("ids", JsonSerializer.Serialize(ids)), new("outcome", outcome)],
            maxLength: 10_000, useApproximateMaxLength: true).WaitAsync(cancellationToken);
}

/// <summary>An entry held unacknowledged by a consumer of a group: who, how many deliveries so far, idle since the last.</summary>
public sealed record PendingHold(string Group, string Consumer, int Deliveries, TimeSpan Idle);

/// <summary>The notifier group on <c>finished</c>: its last read id and the ids it has not acknowledged.</summary>
public sealed record NotifierProgress(string? LastDeliveredId, IReadOnlySet<string> Unacknowledged)
{
    /// <summary>True when the notifier has read <paramref name="id"/> and acknowledged it.</summary>
    public bool Acknowledged(string id) =>
        LastDeliveredId is { } last && StreamIds.Compare(id, last) <= 0 && !Unacknowledged.Contains(id);
}
