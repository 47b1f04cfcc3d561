using Correctomatic.Shared.Contracts;

namespace Correctomatic.Tests.Unit.Contracts;

public sealed class JobTimingsTests
{
    private static readonly DateTimeOffset s_t0 = new(2026, 12, 1, 20, 0, 0, TimeSpan.Zero);

    private static void AssertInvariant(JobTimings t)
    {
        if (t.QueuedAt is { } q && t.StartedAt is { } s)
        {
            Assert.True(q <= s, $"queued_at {q:O} after started_at {s:O}");
        }

        if (t.StartedAt is { } started && t.FinishedAt is { } finished)
        {
            Assert.True(started <= finished, $"started_at {started:O} after finished_at {finished:O}");
            Assert.Equal((long)(finished - started).TotalMilliseconds, t.DurationMs);
            Assert.Equal(finished.ToUnixTimeMilliseconds() - started.ToUnixTimeMilliseconds(), t.DurationMs);
        }
    }

    [Fact]
    public void Of_InOrder_KeepsEachValueToTheMillisecond()
    {
        var t = JobTimings.Of(s_t0, s_t0.AddTicks(12_345_678), s_t0.AddTicks(27_654_321));

        Assert.Equal(s_t0, t.QueuedAt);
        Assert.Equal(s_t0.AddMilliseconds(1234), t.StartedAt);
        Assert.Equal(s_t0.AddMilliseconds(2765), t.FinishedAt);
        Assert.Equal(1531, t.DurationMs);
        AssertInvariant(t);
    }

    [Fact]
    public void Of_EngineStartedAtAfterFinishedAt_StartedIsFinishedAndDurationZero()
    {
        // The demo's callback: started 20.8789 s, finished 20.8778 s (Docker records StartedAt once the process already runs).
        var t = JobTimings.Of(s_t0, s_t0.AddSeconds(20.8789), s_t0.AddSeconds(20.8778));

        Assert.Equal(s_t0.AddMilliseconds(20877), t.StartedAt);
        Assert.Equal(t.FinishedAt, t.StartedAt);
        Assert.Equal(0, t.DurationMs);
        AssertInvariant(t);
    }

    [Fact]
    public void Of_QueuedAfterStartedBySkew_QueuedIsStarted()
    {
        var t = JobTimings.Of(s_t0.AddSeconds(5), s_t0, s_t0.AddSeconds(2));

        Assert.Equal(s_t0, t.QueuedAt);
        Assert.Equal(2000, t.DurationMs);
        AssertInvariant(t);
    }

    [Fact]
    public void Of_NeverStarted_QueuedNotAfterFinishedAndNoDuration()
    {
        var t = JobTimings.Of(s_t0.AddSeconds(1), null, s_t0);

        Assert.Equal(s_t0, t.QueuedAt);
        Assert.Null(t.StartedAt);
        Assert.Null(t.DurationMs);
    }

    [Fact]
    public void Of_RandomOrders_AlwaysKeepTheInvariant()
    {
        var random = new Random(15);
        for (var i = 0; i < 10_000; i++)
        {
            DateTimeOffset At() => s_t0.AddTicks(random.NextInt64(-10_000_000_000, 10_000_000_000));
            AssertInvariant(JobTimings.Of(At(), At(), At()));
        }
    }
}
