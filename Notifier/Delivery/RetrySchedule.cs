namespace Correctomatic.Notifier.Delivery;

/// <summary>
/// When to try a callback again, or whether to give up (issue #7). Exponential backoff with "equal jitter"
/// (half fixed, half random: AWS Architecture Blog, "Exponential Backoff And Jitter"), so receivers that come back after an
/// outage are not hit by every notifier at once; a receiver's Retry-After is honoured when it asks for longer. The
/// jitter source is injected so tests are exact (STYLE habit 4).
/// </summary>
public sealed class RetrySchedule(TimeSpan baseDelay, TimeSpan maxDelay, int maxAttempts, TimeSpan maxAge, Func<double> jitter)
{
    public int MaxAttempts => maxAttempts;
    public TimeSpan MaxAge => maxAge;

    /// <summary>The delay before attempt <paramref name="nextAttempt"/> (2, 3, ...), before Retry-After.</summary>
    public TimeSpan Backoff(int nextAttempt)
    {
        var exponent = Math.Min(nextAttempt - 2, 40);
        var full = Math.Min(maxDelay.TotalMilliseconds, baseDelay.TotalMilliseconds * Math.Pow(2, exponent));
        var jittered = full / 2 + full / 2 * Math.Clamp(jitter(), 0, 1);
        return TimeSpan.FromMilliseconds(jittered);
    }

    /// <summary>
    /// After <paramref name="attemptsMade"/> retryable attempts, the time of the next one; null when the attempt count or the
    /// total age (counted from <paramref name="firstAttemptAt"/>) would be exceeded.
    /// </summary>
    public DateTimeOffset? Next(int attemptsMade, DateTimeOffset firstAttemptAt, DateTimeOffset now, TimeSpan? retryAfter)
    {
        if (attemptsMade >= maxAttempts)
        {
            return null;
        }

        var delay = Backoff(attemptsMade + 1);
        if (retryAfter is { } asked && asked > delay)
        {
            delay = asked;
        }

        var at = now + delay;
        return at - firstAttemptAt > maxAge ? null : at;
    }

    /// <summary>When to try again after these attempts; null when the last was final or the limits are reached.</summary>
    public DateTimeOffset? NextAfter(IReadOnlyList<AttemptOutcome> attempts)
    {
        var last = attempts[^1];
        if (last.Kind != AttemptKind.Retry)
        {
            return null;
        }

        // From the last attempt's time, so a reclaimed entry keeps its schedule instead of retrying at once.
        var lastAt = last.At + TimeSpan.FromMilliseconds(last.ElapsedMs);
        return Next(attempts.Count, attempts[0].At, lastAt, last.RetryAfter);
    }
}
