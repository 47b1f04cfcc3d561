using System.Globalization;
using Correctomatic.Shared.Contracts;
using Correctomatic.Shared.Redis;
using StackExchange.Redis;

namespace Correctomatic.Cli.Operations;

/// <summary>
/// Reads the state of the four streams: stream length and entries ever added (XINFO STREAM), groups with their entries
/// read and consumers (XINFO GROUPS, XINFO CONSUMERS), and the oldest pending entry's idle time (XPENDING).
/// </summary>
public sealed class QueueInspector(RedisConnections redis, StreamNames streams)
{
    public async Task<IReadOnlyList<QueueReport>> InspectAsync(CancellationToken cancellationToken = default)
    {
        var db = redis.Database;
        var reports = new List<QueueReport>();
        foreach (var stream in streams.All)
        {
            if (await db.KeyTypeAsync(stream).WaitAsync(cancellationToken) != RedisType.Stream)
            {
                reports.Add(new QueueReport(stream, Exists: false, 0, []));
                continue;
            }

            var groups = new List<GroupReport>();
            foreach (var group in await db.StreamGroupInfoAsync(stream).WaitAsync(cancellationToken))
            {
                // XPENDING key group - + 1: the oldest pending entry, with its idle time.
                var oldest = await db.StreamPendingMessagesAsync(stream, group.Name, 1, RedisValue.Null).WaitAsync(cancellationToken);
                var consumers = await db.StreamConsumerInfoAsync(stream, group.Name).WaitAsync(cancellationToken);
                groups.Add(new GroupReport(group.Name, group.PendingMessageCount, group.Lag,
                    oldest.Length == 0 ? null : TimeSpan.FromMilliseconds(oldest[0].IdleTimeInMilliseconds),
                    consumers.Select(c => new ConsumerReport(c.Name, c.PendingMessageCount, TimeSpan.FromMilliseconds(c.IdleTimeInMilliseconds))).ToList(),
                    group.EntriesRead));
            }

            // XINFO STREAM: entries-added counts every XADD ever made, so rates survive trimming (Redis 7.0+).
            var info = await db.StreamInfoAsync(stream).WaitAsync(cancellationToken);
            reports.Add(new QueueReport(stream, Exists: true, info.Length, groups, info.EntriesAdded));
        }

        return reports;
    }

    public static string Format(TimeSpan? value) => value is not { } v ? "-"
        : v.TotalSeconds < 60 ? v.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + "s"
        : v.TotalMinutes < 60 ? v.TotalMinutes.ToString("0.0", CultureInfo.InvariantCulture) + "m"
        : v.TotalHours.ToString("0.0", CultureInfo.InvariantCulture) + "h";
}
