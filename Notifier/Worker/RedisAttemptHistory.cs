using System.Globalization;
using System.Text.Json;
using Correctomatic.Notifier.Delivery;
using Correctomatic.Shared.Redis;

namespace Correctomatic.Notifier.Worker;

/// <summary>
/// The attempt history in Redis: one list per job, <c>{prefix}notifier:attempts:{job_id}</c>, one JSON outcome per
/// attempt (RPUSH), expiring after the retry window so a lost delete cannot leak keys.
/// </summary>
public sealed class RedisAttemptHistory(IRedisClient redis, string queuePrefix) : IAttemptHistory
{
    public string Key(string jobId) => $"{queuePrefix}notifier:attempts:{jobId}";

    public async Task<IReadOnlyList<AttemptOutcome>> LoadAsync(string jobId, CancellationToken cancellationToken = default)
    {
        var reply = await redis.ExecuteAsync(["LRANGE", Key(jobId), "0", "-1"], cancellationToken).ConfigureAwait(false);
        var outcomes = new List<AttemptOutcome>(reply.Count);
        for (var i = 0; i < reply.Count; i++)
        {
            if (reply[i].AsString() is { } json && JsonSerializer.Deserialize<AttemptOutcome>(json) is { } outcome)
            {
                outcomes.Add(outcome);
            }
        }

        return outcomes;
    }

    public async Task AppendAsync(string jobId, AttemptOutcome outcome, TimeSpan keepFor, CancellationToken cancellationToken = default)
    {
        var key = Key(jobId);
        var ttl = ((long)keepFor.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
        await redis.ExecuteTransactionAsync([["RPUSH", key, JsonSerializer.Serialize(outcome)], ["PEXPIRE", key, ttl]], cancellationToken)
            .ConfigureAwait(false);
    }

    public async Task DeleteAsync(string jobId, CancellationToken cancellationToken = default) =>
        await redis.ExecuteAsync(["DEL", Key(jobId)], cancellationToken).ConfigureAwait(false);
}
