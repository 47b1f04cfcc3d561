using Correctomatic.Starter;
using Microsoft.Extensions.Time.Testing;

namespace Correctomatic.Tests.Unit.Starter;

public sealed class StartSpacingTests
{
    [Fact]
    public void Wait_NothingStartedYet_IsZero() =>
        Assert.Equal(TimeSpan.Zero, new StartSpacing(30, new FakeTimeProvider()).Wait);

    [Fact]
    public void Wait_AfterAStart_IsTheWholeIntervalThenShrinksToZero()
    {
        var time = new FakeTimeProvider();
        var sut = new StartSpacing(30, time);

        sut.Started();
        Assert.Equal(TimeSpan.FromSeconds(2), sut.Wait);
        time.Advance(TimeSpan.FromMilliseconds(1500));
        Assert.Equal(TimeSpan.FromMilliseconds(500), sut.Wait);
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(TimeSpan.Zero, sut.Wait);
    }

    [Fact]
    public void Wait_AfterALongIdle_NoBurst_EachStartWaitsItsInterval()
    {
        // A token bucket would have filled meanwhile; this spacing lets one start through, then one per interval.
        var time = new FakeTimeProvider();
        var sut = new StartSpacing(600, time);
        time.Advance(TimeSpan.FromHours(1));

        Assert.Equal(TimeSpan.Zero, sut.Wait);
        sut.Started();
        Assert.Equal(TimeSpan.FromMilliseconds(100), sut.Wait);
    }
}
