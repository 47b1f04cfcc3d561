using Correctomatic.Shared.Redis;
using StackExchange.Redis;

namespace Correctomatic.Shared.Hosting.Probes;

/// <summary>
/// <see cref="IQueueProbe"/> over the shared multiplexer: PING, and XLEN plus XINFO GROUPS per watched stream.
/// The one file to re-point when the Redis adapter changes (issue #16: the probe is kept apart from the stage code).
/// </summary>
public sealed class RedisQueueProbe(RedisConnections redis, IReadOnlyList<string> streams) : IQueueProbe
{
    public Task PingAsync(CancellationToken cancellationToken) => redis.Database.PingAsync().WaitAsync(cancellationToken);

    public async Task<IReadOnlyList<QueueSample>> SampleAsync(CancellationToken cancellationToken)
    {
        var db = redis.Database;
        var samples = new List<QueueSample>();
        foreach (var stream in streams)
        {
            if (await db.KeyTypeAsync(stream).WaitAsync(cancellationToken) != RedisType.Stream)
            {
                samples.Add(new QueueSample(stream, null, 0, null, null)); // not created yet: nothing queued
                continue;
            }

            var length = await db.StreamLengthAsync(stream).WaitAsync(cancellationToken);
            samples.Add(new QueueSample(stream, null, length, null, null));
            foreach (var group in await db.StreamGroupInfoAsync(stream).WaitAsync(cancellationToken))
            {
                // Lag is null when Redis cannot tell (entries deleted past the group's position); Redis 7.0+.
                samples.Add(new QueueSample(stream, group.Name, length, group.PendingMessageCount, group.Lag));
            }
        }

        return samples;
    }
}
