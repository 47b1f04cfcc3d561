using Correctomatic.Completer.Outcome;
using Microsoft.Extensions.Time.Testing;

namespace Correctomatic.Tests.Unit.Completer;

public sealed class EngineOutagesTests
{
    private static readonly DateTimeOffset s_start = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Covers_FromTheLastAnsweredPingToTheFirstAnsweredAgain()
    {
        var clock = new FakeTimeProvider(s_start);
        var sut = new EngineOutages(clock);
        sut.Reachable();
        clock.Advance(TimeSpan.FromSeconds(1));
        sut.Unreachable();
        clock.Advance(TimeSpan.FromSeconds(1));
        sut.Unreachable();
        clock.Advance(TimeSpan.FromSeconds(3));
        sut.Reachable();

        Assert.False(sut.Covers(s_start - TimeSpan.FromMilliseconds(1)));
        Assert.True(sut.Covers(s_start)); // the engine may have stopped just after its last answer
        Assert.True(sut.Covers(s_start + TimeSpan.FromSeconds(4)));
        Assert.True(sut.Covers(s_start + TimeSpan.FromSeconds(5)));
        Assert.False(sut.Covers(s_start + TimeSpan.FromSeconds(5.001)));
    }

    [Fact]
    public void Covers_OutageStillOpen_EverythingSinceItsStart()
    {
        var clock = new FakeTimeProvider(s_start);
        var sut = new EngineOutages(clock);
        sut.Unreachable(); // never answered: from now

        Assert.False(sut.Covers(s_start - TimeSpan.FromSeconds(1)));
        Assert.True(sut.Covers(s_start + TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public void Covers_NoOutage_Nothing()
    {
        var clock = new FakeTimeProvider(s_start);
        var sut = new EngineOutages(clock);
        sut.Reachable();
        clock.Advance(TimeSpan.FromSeconds(10));
        sut.Reachable();

        Assert.False(sut.Covers(s_start + TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void Covers_TwoOutages_EachOnItsOwnAndNotTheTimeBetween()
    {
        var clock = new FakeTimeProvider(s_start);
        var sut = new EngineOutages(clock);
        sut.Reachable();
        sut.Unreachable();
        clock.Advance(TimeSpan.FromSeconds(2));
        sut.Reachable(); // first: 0-2 s
        clock.Advance(TimeSpan.FromSeconds(10));
        sut.Reachable();
        sut.Unreachable();
        clock.Advance(TimeSpan.FromSeconds(2));
        sut.Reachable(); // second: 12-14 s

        Assert.True(sut.Covers(s_start + TimeSpan.FromSeconds(1)));
        Assert.False(sut.Covers(s_start + TimeSpan.FromSeconds(7)));
        Assert.True(sut.Covers(s_start + TimeSpan.FromSeconds(13)));
    }

    [Fact]
    public void Overlaps_ARangeTouchingTheWindow_TrueAndOneBesideIt_False()
    {
        var clock = new FakeTimeProvider(s_start);
        var sut = new EngineOutages(clock);
        sut.Reachable();
        clock.Advance(TimeSpan.FromSeconds(1));
        sut.Unreachable(); // from s_start, the last answer
        clock.Advance(TimeSpan.FromSeconds(2));
        sut.Reachable(); // to s_start + 3 s

        Assert.True(sut.Overlaps(s_start - TimeSpan.FromSeconds(5), s_start + TimeSpan.FromSeconds(10))); // around it
        Assert.True(sut.Overlaps(s_start + TimeSpan.FromSeconds(1), s_start + TimeSpan.FromSeconds(2))); // inside it
        Assert.True(sut.Overlaps(s_start - TimeSpan.FromSeconds(1), s_start)); // ends at its start
        Assert.True(sut.Overlaps(s_start + TimeSpan.FromSeconds(3), s_start + TimeSpan.FromSeconds(4))); // starts at its end
        Assert.False(sut.Overlaps(s_start - TimeSpan.FromSeconds(2), s_start - TimeSpan.FromSeconds(1)));
        Assert.False(sut.Overlaps(s_start + TimeSpan.FromSeconds(3.001), s_start + TimeSpan.FromSeconds(9)));
    }
}
