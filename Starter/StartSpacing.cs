namespace Correctomatic.Starter;

/// <summary>
/// STARTER_RATE_LIMIT_PER_MINUTE as an even spacing: a start no sooner than 60 s / limit after the previous one, however
/// long the starter sat idle. Not System.Threading.RateLimiting's TokenBucketRateLimiter, which this replaced: it
/// replenishes on a timer of its own phase, and the read loop takes its permit before a blocking read, so a permit in
/// hand, a token in the bucket and a tick just after let three jobs start together (StarterRecoveryTests saw it).
/// One read loop uses it: not thread-safe.
/// </summary>
internal sealed class StartSpacing(int perMinute, TimeProvider time)
{
    private readonly TimeSpan _interval = TimeSpan.FromMinutes(1) / perMinute;
    private DateTimeOffset _next = DateTimeOffset.MinValue;

    /// <summary>How long to wait before the next start may be read (zero when it may be now).</summary>
    public TimeSpan Wait => _next - time.GetUtcNow() is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero;

    /// <summary>A start happened now: the next waits one interval from here.</summary>
    public void Started() => _next = time.GetUtcNow() + _interval;
}
