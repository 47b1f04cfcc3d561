using Correctomatic.Notifier.Delivery;

namespace Correctomatic.Tests.Unit.Notifier;

public sealed class RetryScheduleTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    private static RetrySchedule CreateSut(double jitter, int maxAttempts = 10, TimeSpan? maxAge = null) =>
        new(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(60), maxAttempts, maxAge ?? TimeSpan.FromDays(1), () => jitter);

    [Theory]
    [InlineData(2, 0.0, 1000)]
    [InlineData(2, 1.0, 2000)]
    [InlineData(3, 0.0, 2000)]
    [InlineData(4, 0.5, 6000)]
    [InlineData(5, 1.0, 16000)]
    [InlineData(9, 1.0, 60000)]
    [InlineData(40, 0.0, 30000)]
    public void Backoff_AttemptAndJitter_DoublesUpToTheCap(int nextAttempt, double jitter, double expectedMs)
    {
        Assert.Equal(expectedMs, CreateSut(jitter).Backoff(nextAttempt).TotalMilliseconds, precision: 3);
    }

    [Fact]
    public void Next_AttemptsExhausted_GivesUp()
    {
        var sut = CreateSut(1.0, maxAttempts: 3);

        Assert.NotNull(sut.Next(2, T0, T0, retryAfter: null));
        Assert.Null(sut.Next(3, T0, T0, retryAfter: null));
    }

    [Fact]
    public void Next_PastMaxAge_GivesUp()
    {
        var sut = CreateSut(1.0, maxAge: TimeSpan.FromMinutes(10));

        Assert.Equal(T0.AddMinutes(9) + TimeSpan.FromSeconds(4), sut.Next(2, T0, T0.AddMinutes(9), retryAfter: null));
        Assert.Null(sut.Next(2, T0, T0.AddMinutes(9).AddSeconds(57), retryAfter: null));
    }

    [Fact]
    public void Next_RetryAfterLongerThanBackoff_WaitsRetryAfter()
    {
        var sut = CreateSut(0.0);

        Assert.Equal(T0.AddSeconds(30), sut.Next(1, T0, T0, retryAfter: TimeSpan.FromSeconds(30)));
        Assert.Equal(T0.AddSeconds(1), sut.Next(1, T0, T0, retryAfter: TimeSpan.FromMilliseconds(10)));
    }

    [Fact]
    public void NextAfter_LastAttemptFinalOrDelivered_NoNextAttempt()
    {
        var sut = CreateSut(1.0);

        Assert.Null(sut.NextAfter([new AttemptOutcome { Attempt = 1, At = T0, Kind = AttemptKind.Final }]));
        Assert.Null(sut.NextAfter([new AttemptOutcome { Attempt = 1, At = T0, Kind = AttemptKind.Delivered }]));
    }

    [Fact]
    public void NextAfter_LastAttemptRetry_ScheduledFromWhenThatAttemptEnded()
    {
        // A reclaimed entry keeps its schedule: the backoff counts from the end of its last recorded attempt, not from now.
        var attempts = new[]
        {
            new AttemptOutcome { Attempt = 1, At = T0, Kind = AttemptKind.Retry },
            new AttemptOutcome { Attempt = 2, At = T0.AddSeconds(10), Kind = AttemptKind.Retry, ElapsedMs = 500 },
        };

        Assert.Equal(T0.AddSeconds(10.5) + TimeSpan.FromSeconds(4), CreateSut(1.0).NextAfter(attempts));
    }
}
