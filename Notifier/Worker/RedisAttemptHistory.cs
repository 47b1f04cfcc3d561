using System.Text.Json;
using Correctomatic.Notifier.Delivery;
using StackExchange.Redis;

namespace Correctomatic.Notifier.Worker;

/// <summary>
/// The attempt history in Redis: one list per job, <c>{prefix}notifier:attempts:{job_id}</c>, one JSON outcome per
/// attempt (RPUSH), expiring after the retry window so a lost delete cannot leak keys.
/// </summary>
public sealed class RedisAttemptHistory(IDatabase redis, string queuePrefix) : IAttemptHistory
{
    public string Key(string jobId) => $"{queuePrefix}notifier:attempts:{jobId}";

    public async Task<IReadOnlyList<AttemptOutcome>> LoadAsync(string jobId, CancellationToken cancellationToken = default)
    {
        var items = await redis.ListRangeAsync(Key(jobId)).WaitAsync(cancellationToken).ConfigureAwait(false);
        var outcomes = new List<AttemptOutcome>(items.Length);
        foreach (var item in items)
        {
            if (!item.IsNull && JsonSerializer.Deserialize<AttemptOutcome>(item.ToString()) is { } outcome)
            {
                outcomes.Add(outcome);
            }
        }

        return outcomes;
    }

    /// <summary>RPUSH and PEXPIRE in one MULTI/EXEC: the list never exists without its expiry.</summary>
    public async Task AppendAsync(string jobId, AttemptOutcome outcome, TimeSpan keepFor, CancellationToken cancellationToken = default)
    {
        var key = Key(jobId);
        var transaction = redis.CreateTransaction();
        _ = transaction.ListRightPushAsync(key, JsonSerializer.Serialize(outcome));
        _ = transaction.KeyExpireAsync(key, keepFor);
        await transaction.ExecuteAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task DeleteAsync(string jobId, CancellationToken cancellationToken = default) =>
        await redis.KeyDeleteAsync(Key(jobId)).WaitAsync(cancellationToken).ConfigureAwait(false);
}
