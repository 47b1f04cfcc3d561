using System.Threading.RateLimiting;

namespace Correctomatic.Notifier.Delivery;

/// <summary>
/// The optional per-host request rate (CALLBACK_RATE_PER_HOST, issue #7): a token bucket per callback host, so one
/// busy LMS is not flooded while callbacks to other hosts flow. Waiting for a token holds no concurrency slot.
/// </summary>
public sealed class HostRateLimiter : IAsyncDisposable
{
    private readonly PartitionedRateLimiter<string>? _limiter;

    public HostRateLimiter(double perSecond)
    {
        if (perSecond <= 0)
        {
            return;
        }

        // Refill every 1/rate s, one token at a time, burst of one second's worth (at least 1).
        var burst = Math.Max(1, (int)Math.Ceiling(perSecond));
        var period = TimeSpan.FromSeconds(1 / perSecond);
        // TokenBucketRateLimiter replenishes on its own (system) timer; it offers no TimeProvider hook.
        _limiter = PartitionedRateLimiter.Create<string, string>(host => RateLimitPartition.GetTokenBucketLimiter(host, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = burst,
            TokensPerPeriod = 1,
            ReplenishmentPeriod = period < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : period,
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        }));
    }

    public bool Enabled => _limiter is not null;

    /// <summary>Waits for a token for <paramref name="host"/>; returns at once when no rate is set.</summary>
    public async ValueTask<RateLimitLease?> AcquireAsync(string host, CancellationToken cancellationToken)
    {
        if (_limiter is null)
        {
            return null;
        }

        return await _limiter.AcquireAsync(host, 1, cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => _limiter?.DisposeAsync() ?? ValueTask.CompletedTask;
}
