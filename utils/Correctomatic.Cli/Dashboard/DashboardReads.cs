using System.Globalization;
using System.Text.Json;
using Correctomatic.Cli.Operations;
using Correctomatic.Notifier.Delivery;
using Correctomatic.Notifier.Worker;
using Correctomatic.Shared.Contracts;
using Correctomatic.Shared.Redis;

namespace Correctomatic.Cli.Dashboard;

/// <summary>
/// Every Redis read and write the dashboard makes, in one place (issue #17), typed, so a change of Redis client is
/// re-pointed here alone. The stream state comes from the CLI's <see cref="QueueInspector"/> and
/// <see cref="DeadLetterStore"/>; the notifier's attempt history from <see cref="RedisAttemptHistory"/>. Scans are
/// bounded by <see cref="ScanLimit"/> entries per stream (the streams are trimmed by the services anyway).
/// </summary>
public sealed class DashboardReads(IRedisClient redis, StreamNames streams)
{
    /// <summary>The most entries read from one stream for a search or a chart.</summary>
    public const int ScanLimit = 20_000;

    public StreamNames Streams => streams;

    public DeadLetterStore DeadLetters { get; } = new(redis, streams);

    public Task<IReadOnlyList<QueueReport>> QueuesAsync(CancellationToken cancellationToken) =>
        new QueueInspector(redis, streams).InspectAsync(cancellationToken);

    /// <summary>All entries of <paramref name="stream"/> still within retention (up to <see cref="ScanLimit"/>).</summary>
    public Task<IReadOnlyList<StreamEntry>> EntriesAsync(string stream, CancellationToken cancellationToken) =>
        redis.XRangeAsync(stream, "-", "+", ScanLimit, cancellationToken);

    /// <summary>What the notifier group has not yet acknowledged in <c>finished</c>, and how far it has read (null: no group yet).</summary>
    public async Task<NotifierProgress> NotifierProgressAsync(CancellationToken cancellationToken)
    {
        if ((await redis.ExecuteAsync(["TYPE", streams.Finished], cancellationToken)).AsString() != "stream")
        {
            return new NotifierProgress(null, new HashSet<string>(StringComparer.Ordinal));
        }

        var group = (await redis.XInfoGroupsAsync(streams.Finished, cancellationToken))
            .FirstOrDefault(g => g["name"].AsString() == ConsumerGroups.Notifier);
        if (group is null)
        {
            return new NotifierProgress(null, new HashSet<string>(StringComparer.Ordinal));
        }

        // XPENDING key group - + count: [id, consumer, idle-ms, deliveries] per unacknowledged entry.
        var pending = await redis.ExecuteAsync(["XPENDING", streams.Finished, ConsumerGroups.Notifier, "-", "+", ScanLimit.ToString(CultureInfo.InvariantCulture)], cancellationToken);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < pending.Count; i++)
        {
            ids.Add(pending[i][0].AsString()!);
        }

        return new NotifierProgress(group["last-delivered-id"].AsString(), ids);
    }

    /// <summary>The notifier's attempts for <paramref name="jobId"/>; empty once delivered or dead-lettered (the notifier deletes it then).</summary>
    public Task<IReadOnlyList<AttemptOutcome>> AttemptsAsync(string jobId, CancellationToken cancellationToken) =>
        new RedisAttemptHistory(redis, streams.Prefix).LoadAsync(jobId, cancellationToken);

    /// <summary>How many jobs have an attempt history now: callbacks being retried (SCAN, bounded).</summary>
    public async Task<long> RetryingCountAsync(CancellationToken cancellationToken)
    {
        var pattern = new RedisAttemptHistory(redis, streams.Prefix).Key("*");
        long count = 0;
        var cursor = "0";
        var rounds = 0;
        do
        {
            var reply = await redis.ExecuteAsync(["SCAN", cursor, "MATCH", pattern, "COUNT", "1000"], cancellationToken);
            cursor = reply[0].AsString()!;
            count += reply[1].Count;
        }
        while (cursor != "0" && ++rounds < 100);
        return count;
    }

    /// <summary>Appends one audit line to <c>{prefix}audit</c>, capped near 10,000 entries.</summary>
    public Task AppendAuditAsync(string who, string action, IReadOnlyList<string> ids, string outcome, CancellationToken cancellationToken) =>
        redis.ExecuteAsync(["XADD", streams.Prefix + "audit", "MAXLEN", "~", "10000", "*",
            "who", who, "action", action, "ids", JsonSerializer.Serialize(ids), "outcome", outcome], cancellationToken);
}

/// <summary>The notifier group on <c>finished</c>: its last read id and the ids it has not acknowledged.</summary>
public sealed record NotifierProgress(string? LastDeliveredId, IReadOnlySet<string> Unacknowledged)
{
    /// <summary>True when the notifier has read <paramref name="id"/> and acknowledged it.</summary>
    public bool Acknowledged(string id) =>
        LastDeliveredId is { } last && StreamIds.Compare(id, last) <= 0 && !Unacknowledged.Contains(id);
}
