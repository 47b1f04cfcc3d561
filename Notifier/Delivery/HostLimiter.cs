using System.Threading.RateLimiting;

namespace Correctomatic.Notifier.Delivery;

/// <summary>
/// Per callback host (issue #7): at most CALLBACK_MAX_IN_FLIGHT_PER_HOST requests at once, so a receiver that never
/// answers ties up only its own share of NOTIFIER_CONCURRENCY and callbacks to other hosts flow; and optionally
/// CALLBACK_RATE_PER_HOST requests per second (a token bucket), so one busy LMS is not flooded. Waiting here holds no
/// global request slot.
/// </summary>
public sealed class HostLimiter : IAsyncDisposable
{
    private readonly PartitionedRateLimiter<string> _inFlight;
    private readonly PartitionedRateLimiter<string>? _rate;

    public HostLimiter(int maxInFlightPerHost, double ratePerSecond)
    {
        _inFlight = PartitionedRateLimiter.Create<string, string>(host => RateLimitPartition.GetConcurrencyLimiter(host, _ => new ConcurrencyLimiterOptions
        {
            PermitLimit = maxInFlightPerHost,
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        }));
        if (ratePerSecond > 0)
        {
            // One token every 1/rate s, bursts up to one second's worth. TokenBucketRateLimiter replenishes on its own
            // (system) timer; it offers no TimeProvider hook.
            var period = TimeSpan.FromSeconds(1 / ratePerSecond);
            _rate = PartitionedRateLimiter.Create<string, string>(host => RateLimitPartition.GetTokenBucketLimiter(host, _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = Math.Max(1, (int)Math.Ceiling(ratePerSecond)),
                TokensPerPeriod = 1,
                ReplenishmentPeriod = period < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : period,
                QueueLimit = int.MaxValue,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                AutoReplenishment = true,
            }));
        }
    }

    /// <summary>Waits for the host's turn; dispose the result when the request is over.</summary>
    public async ValueTask<IDisposable> AcquireAsync(string host, CancellationToken cancellationToken)
    {
        var inFlight = await _inFlight.AcquireAsync(host, 1, cancellationToken).ConfigureAwait(false);
        if (_rate is null)
        {
            return inFlight;
        }

        try
        {
            // The token is spent when taken; only the in-flight permit is held for the request's duration.
            using var token = await _rate.AcquireAsync(host, 1, cancellationToken).ConfigureAwait(false);
            return inFlight;
        }
        catch
        {
            inFlight.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _inFlight.DisposeAsync().ConfigureAwait(false);
        if (_rate is not null)
        {
            await _rate.DisposeAsync().ConfigureAwait(false);
        }
    }
}
