using Correctomatic.Shared.Docker;

namespace Correctomatic.Tests.Unit.Docker;

public sealed class EventResumePointTests
{
    private static DockerEvent Event(long timeNano, string actor = "c1", string action = "die") =>
        new() { Type = "container", Action = action, ActorId = actor, TimeNano = timeNano };

    [Fact]
    public void Accept_ReplayAfterReconnect_DropsWhatWasDeliveredAndKeepsWhatIsNew()
    {
        var resume = new EventResumePoint(null);
        Assert.True(resume.Accept(Event(100)));
        Assert.True(resume.Accept(Event(200, "c1", "kill")));

        // The engine replays from since=200 inclusive: the kill again, plus a second event at the same instant, then a new one.
        Assert.False(resume.Accept(Event(100)));
        Assert.False(resume.Accept(Event(200, "c1", "kill")));
        Assert.True(resume.Accept(Event(200, "c2", "die")));
        Assert.True(resume.Accept(Event(300)));
        Assert.Equal(300, resume.LastTimeNano);
    }

    [Fact]
    public void SinceParameter_Nanoseconds_FormattedAsSecondsDotNineDigits()
    {
        var resume = new EventResumePoint(1_700_000_000_000_000_042);

        Assert.Equal("1700000000.000000042", resume.SinceParameter);
    }

    [Fact]
    public void StartAt_WhenSinceWasGiven_KeepsTheGivenStart()
    {
        var given = new EventResumePoint(5);
        var none = new EventResumePoint(null);

        given.StartAt(99);
        none.StartAt(99);

        Assert.Equal(5, given.LastTimeNano);
        Assert.Equal(99, none.LastTimeNano);
        Assert.Null(new EventResumePoint(null).SinceParameter);
    }
}
