using Correctomatic.Completer.Outcome;
using Microsoft.Extensions.Time.Testing;

namespace Correctomatic.Tests.Unit.Completer;

public sealed class OomByEliminationTests
{
    private static readonly DateTimeOffset s_start = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    /// <summary>A 137 with no OOM flag, the container watched from before it started to its die, the engine reachable throughout.</summary>
    private static readonly ContainerOutcome s_lostNotice = new()
    {
        ExitCode = 137, StartedAt = s_start + TimeSpan.FromSeconds(1), FinishedAt = s_start + TimeSpan.FromSeconds(3),
    };

    private static EngineOutages Reachable() => new(new FakeTimeProvider(s_start));

    [Fact]
    public void Applies_DieWithoutKillWholeLifeWatched_True() =>
        Assert.True(OomByElimination.Applies(s_lostNotice, dieSeen: true, killSeen: false, s_start, Reachable()));

    [Fact]
    public void Applies_KillEventSeen_False() =>
        Assert.False(OomByElimination.Applies(s_lostNotice, dieSeen: true, killSeen: true, s_start, Reachable()));

    [Fact]
    public void Applies_DieNotYetSeen_False() =>
        Assert.False(OomByElimination.Applies(s_lostNotice, dieSeen: false, killSeen: false, s_start, Reachable()));

    [Fact]
    public void Applies_NotWatchingYet_False() =>
        Assert.False(OomByElimination.Applies(s_lostNotice, dieSeen: true, killSeen: false, watchingSince: null, Reachable()));

    [Fact]
    public void Applies_StartedBeforeTheWatchBegan_False() =>
        // A completer restarted under a running container: a kill before its start is not replayed.
        Assert.False(OomByElimination.Applies(s_lostNotice, dieSeen: true, killSeen: false, s_start + TimeSpan.FromSeconds(2), Reachable()));

    [Theory]
    [InlineData(2)]   // inside the container's life
    [InlineData(0.5)] // open before it started, closed while it ran
    public void Applies_EngineUnreachableDuringItsLife_False(double outageStartSeconds)
    {
        var clock = new FakeTimeProvider(s_start + TimeSpan.FromSeconds(outageStartSeconds));
        var outages = new EngineOutages(clock);
        outages.Unreachable();
        clock.Advance(TimeSpan.FromSeconds(1));
        outages.Reachable();

        Assert.False(OomByElimination.Applies(s_lostNotice, dieSeen: true, killSeen: false, s_start, outages));
    }

    [Fact]
    public void Applies_OutageEndedBeforeItStarted_True()
    {
        var clock = new FakeTimeProvider(s_start);
        var outages = new EngineOutages(clock);
        outages.Unreachable();
        clock.Advance(TimeSpan.FromMilliseconds(500));
        outages.Reachable();

        Assert.True(OomByElimination.Applies(s_lostNotice, dieSeen: true, killSeen: false, s_start, outages));
    }

    public static TheoryData<ContainerOutcome> NotALostNotice() =>
    [
        s_lostNotice with { ExitCode = 0 },
        s_lostNotice with { ExitCode = 143 },
        s_lostNotice with { OomKilled = true },
        s_lostNotice with { TimedOut = true },
        s_lostNotice with { EngineError = "shim died" },
        s_lostNotice with { VanishedReason = "removed" },
        s_lostNotice with { StartedAt = null },
        s_lostNotice with { FinishedAt = null },
    ];

    [Theory]
    [MemberData(nameof(NotALostNotice))]
    public void Applies_OtherOutcomes_False(ContainerOutcome outcome) =>
        Assert.False(OomByElimination.Applies(outcome, dieSeen: true, killSeen: false, s_start, Reachable()));
}
