using Correctomatic.Cli.Operations;
using Correctomatic.Cli.Top;

namespace Correctomatic.Tests.Unit.Cli.Top;

public sealed class TopRatesTests
{
    private static readonly DateTimeOffset s_t0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Added_TwoSamples_IsTheChangeOfEntriesAddedPerSecond()
    {
        var before = Sample(s_t0, added: 10, read: null, pending: 0);
        var after = Sample(s_t0.AddSeconds(2), added: 16, read: null, pending: 0);

        Assert.Equal(3.0, TopRates.Added(before, after, "p:pending"));
    }

    [Fact]
    public void Added_WhenTheStreamWasTrimmed_StillCountsEveryAdd()
    {
        // entries-added does not fall when XTRIM removes entries: the length does, the rate does not.
        var before = Sample(s_t0, added: 100, read: null, pending: 0, length: 100);
        var after = Sample(s_t0.AddSeconds(1), added: 105, read: null, pending: 0, length: 20);

        Assert.Equal(5.0, TopRates.Added(before, after, "p:pending"));
    }

    [Fact]
    public void Done_IsEntriesReadLessPending_PerSecond()
    {
        // 4 read, 4 in hand → 0 done; then 10 read, 2 in hand → 8 done, over 4 s.
        var before = Sample(s_t0, added: 10, read: 4, pending: 4);
        var after = Sample(s_t0.AddSeconds(4), added: 10, read: 10, pending: 2);

        Assert.Equal(2.0, TopRates.Done(before, after, "p:pending", "starter"));
    }

    [Fact]
    public void Rates_FirstSampleOrUnknownCounterOrReset_AreNull()
    {
        var now = Sample(s_t0, added: 10, read: 5, pending: 0);
        var noCounter = Sample(s_t0.AddSeconds(1), added: null, read: null, pending: 0);
        var reset = Sample(s_t0.AddSeconds(1), added: 2, read: 1, pending: 0);

        Assert.Null(TopRates.Added(null, now, "p:pending"));
        Assert.Null(TopRates.Added(now, noCounter, "p:pending"));
        Assert.Null(TopRates.Done(now, noCounter, "p:pending", "starter"));
        Assert.Null(TopRates.Added(now, reset, "p:pending"));
        Assert.Null(TopRates.Done(now, reset, "p:pending", "starter"));
        Assert.Null(TopRates.Added(now, now, "p:pending"));
        Assert.Null(TopRates.Done(now, Sample(s_t0.AddSeconds(1), 10, 5, 0), "p:pending", "no-such-group"));
    }

    private static TopSample Sample(DateTimeOffset at, long? added, long? read, long pending, long length = 10) => new(at,
        [new QueueReport("p:pending", true, length, [new GroupReport("starter", pending, null, null, [], read)], added)], [], null, []);
}
