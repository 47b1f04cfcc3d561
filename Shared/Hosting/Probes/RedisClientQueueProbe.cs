using Correctomatic.Shared.Redis;

namespace Correctomatic.Shared.Hosting.Probes;

/// <summary>
/// <see cref="IQueueProbe"/> over today's <see cref="IRedisClient"/>: PING, and XLEN plus XINFO GROUPS per watched stream.
/// The one file to re-point when the Redis adapter changes (issue #16: the probe is kept apart from the client's internals).
/// </summary>
public sealed class RedisClientQueueProbe(IRedisClient redis, IReadOnlyList<string> streams) : IQueueProbe
{
    public async Task PingAsync(CancellationToken cancellationToken)
    {
        var reply = await redis.ExecuteAsync(["PING"], cancellationToken);
        if (reply.IsError)
        {
            throw new RedisServerException(reply.AsString() ?? "PING failed");
        }
    }

    public async Task<IReadOnlyList<QueueSample>> SampleAsync(CancellationToken cancellationToken)
    {
        var samples = new List<QueueSample>();
        foreach (var stream in streams)
        {
            if ((await redis.ExecuteAsync(["TYPE", stream], cancellationToken)).AsString() != "stream")
            {
                samples.Add(new QueueSample(stream, null, 0, null, null)); // not created yet: nothing queued
                continue;
            }

            var length = await redis.XLenAsync(stream, cancellationToken);
            samples.Add(new QueueSample(stream, null, length, null, null));
            foreach (var group in await redis.XInfoGroupsAsync(stream, cancellationToken))
            {
                // lag is null when Redis cannot tell (entries deleted past the group's position); Redis 7.0+.
                var lag = group.TryGetValue("lag", out var l) && !l.IsNull ? l.AsInt64() : (long?)null;
                samples.Add(new QueueSample(stream, group["name"].AsString(), length, group["pending"].AsInt64(), lag));
            }
        }

        return samples;
    }
}
