using Correctomatic.Starter;
using Microsoft.Extensions.Time.Testing;

namespace Correctomatic.Tests.Unit.Starter;

public sealed class RunningCountTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void KnownBelowCap_NeverListed_IsFalse() =>
        Assert.False(new RunningCount(4, _time).KnownBelowCap);

    [Fact]
    public void KnownBelowCap_RecentCountBelowTheCap_IsTrueUntilItIsOneSecondOld()
    {
        var sut = new RunningCount(4, _time);

        sut.Listed(running: 1, inHand: 1);
        Assert.True(sut.KnownBelowCap);
        _time.Advance(RunningCount.MaxAge - TimeSpan.FromMilliseconds(1));
        Assert.True(sut.KnownBelowCap);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.False(sut.KnownBelowCap);
    }

    [Fact]
    public void KnownBelowCap_DispatchesSinceTheListReachTheCap_IsFalse()
    {
        var sut = new RunningCount(4, _time);
        sut.Listed(running: 2, inHand: 0);

        sut.Dispatched();
        Assert.True(sut.KnownBelowCap); // 3 of 4
        sut.Dispatched();
        Assert.False(sut.KnownBelowCap); // 4 of 4: the next read lists again
    }

    [Fact]
    public void KnownBelowCap_ListedAtTheCap_IsFalse_AndANewListBelowItClearsThat()
    {
        var sut = new RunningCount(1, _time);
        sut.Listed(running: 1, inHand: 0);
        Assert.False(sut.KnownBelowCap);

        sut.Listed(running: 0, inHand: 0); // the container ended
        Assert.True(sut.KnownBelowCap);
    }
}
