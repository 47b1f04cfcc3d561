using Correctomatic.Shared.Contracts;
using Correctomatic.Shared.Redis;

namespace Correctomatic.Cli.Operations;

/// <summary>
/// The <c>dead</c> stream for operators: list, replay (re-queue the original fields into the stream the entry died in,
/// and remove it from <c>dead</c>, in one MULTI/EXEC), purge.
/// </summary>
public sealed class DeadLetterStore(RedisConnections redis, StreamNames streams)
{
    public Task<IReadOnlyList<StreamEntry>> ListAsync(int count, CancellationToken cancellationToken = default) =>
        redis.Database.XRangeAsync(streams.Dead, "-", "+", count, cancellationToken);

    /// <summary>Replays one dead entry; returns the new entry's stream and id. Throws <see cref="Commands.InvalidInputException"/> for an unknown id.</summary>
    public async Task<(string Stream, string Id)> ReplayAsync(string deadId, CancellationToken cancellationToken = default)
    {
        var entries = await redis.Database.XRangeAsync(streams.Dead, deadId, deadId, count: 1, cancellationToken);
        if (entries.Count == 0)
        {
            throw new Commands.InvalidInputException($"no entry {deadId} in {streams.Dead}");
        }

        var entry = entries[0];
        var target = entry.Field(StreamFields.Source) is { } source && streams.All.Contains(source) && source != streams.Dead
            ? source
            : streams.Pending;
        var fields = entry.Fields
            .Where(f => f.Key is not (StreamFields.Reason or StreamFields.Source or StreamFields.SourceId))
            .Select(f => new StackExchange.Redis.NameValueEntry(f.Key, f.Value))
            .ToArray();
        var transaction = redis.Database.CreateTransaction();
        var added = transaction.StreamAddAsync(target, fields);
        _ = transaction.StreamDeleteAsync(streams.Dead, [deadId]);
        await transaction.ExecuteAsync().WaitAsync(cancellationToken);
        return (target, (await added)!);
    }

    /// <summary>Deletes the given entries, or the whole stream when none are given; returns how many went.</summary>
    public async Task<long> PurgeAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken = default)
    {
        if (ids.Count > 0)
        {
            return await redis.Database.StreamDeleteAsync(streams.Dead, ids.Select(i => (StackExchange.Redis.RedisValue)i).ToArray()).WaitAsync(cancellationToken);
        }

        var length = await redis.Database.XLenAsync(streams.Dead, cancellationToken);
        await redis.Database.KeyDeleteAsync(streams.Dead).WaitAsync(cancellationToken);
        return length;
    }
}
