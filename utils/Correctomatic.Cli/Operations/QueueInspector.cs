using System.Globalization;
using Correctomatic.Shared.Contracts;
using Correctomatic.Shared.Redis;

namespace Correctomatic.Cli.Operations;

/// <summary>Reads the state of the four streams: XLEN, XINFO GROUPS/CONSUMERS, and the oldest pending entry's idle time (XPENDING).</summary>
public sealed class QueueInspector(IRedisClient redis, StreamNames streams)
{
    public async Task<IReadOnlyList<QueueReport>> InspectAsync(CancellationToken cancellationToken = default)
    {
        var reports = new List<QueueReport>();
        foreach (var stream in streams.All)
        {
            var type = (await redis.ExecuteAsync(["TYPE", stream], cancellationToken)).AsString();
            if (type != "stream")
            {
                reports.Add(new QueueReport(stream, Exists: false, 0, []));
                continue;
            }

            var groups = new List<GroupReport>();
            foreach (var group in await redis.XInfoGroupsAsync(stream, cancellationToken))
            {
                var name = group["name"].AsString()!;
                var lag = group.TryGetValue("lag", out var l) && !l.IsNull ? l.AsInt64() : (long?)null;
                groups.Add(new GroupReport(name, group["pending"].AsInt64(), lag,
                    await OldestPendingIdleAsync(stream, name, cancellationToken), await ConsumersAsync(stream, name, cancellationToken)));
            }

            reports.Add(new QueueReport(stream, Exists: true, await redis.XLenAsync(stream, cancellationToken), groups));
        }

        return reports;
    }

    private async Task<TimeSpan?> OldestPendingIdleAsync(string stream, string group, CancellationToken cancellationToken)
    {
        // XPENDING key group - + 1: the oldest pending entry, as [id, consumer, idle-ms, deliveries].
        var reply = await redis.ExecuteAsync(["XPENDING", stream, group, "-", "+", "1"], cancellationToken);
        return reply.Count == 0 ? null : TimeSpan.FromMilliseconds(reply[0][2].AsInt64());
    }

    private async Task<IReadOnlyList<ConsumerReport>> ConsumersAsync(string stream, string group, CancellationToken cancellationToken)
    {
        var reply = await redis.ExecuteAsync(["XINFO", "CONSUMERS", stream, group], cancellationToken);
        return reply.AsArray().Select(c => c.AsMap())
            .Select(c => new ConsumerReport(c["name"].AsString()!, c["pending"].AsInt64(), TimeSpan.FromMilliseconds(c["idle"].AsInt64())))
            .ToList();
    }

    public static string Format(TimeSpan? value) => value is not { } v ? "-"
        : v.TotalSeconds < 60 ? v.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + "s"
        : v.TotalMinutes < 60 ? v.TotalMinutes.ToString("0.0", CultureInfo.InvariantCulture) + "m"
        : v.TotalHours.ToString("0.0", CultureInfo.InvariantCulture) + "h";
}
