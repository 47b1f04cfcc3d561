using Correctomatic.Shared.Contracts;
using Correctomatic.Shared.Redis;
using Correctomatic.Tests.Integration.Infrastructure;

namespace Correctomatic.Tests.Integration.Cli;

/// <summary>
/// <c>correctomatic top</c> (issue #16) in a real pseudo-terminal (tmux), its screen read as an operator sees it, over a
/// real redis-server and the real engine, with entries and a container placed as the stages place them.
/// </summary>
public sealed class TopCommandTests : IAsyncLifetime
{
    private StagedDeployment _staged = null!;

    private StreamNames Streams => _staged.Streams;

    public async Task InitializeAsync()
    {
        ProcessRunner.Require("tmux");
        _staged = await StagedDeployment.StartAsync("top");
    }

    public async Task DisposeAsync() => await _staged.DisposeAsync();

    [Fact]
    public async Task Top_InATerminal_ShowsDepthLagRatesContainersAndDeadLetters_AndCtrlCExitsCleanly()
    {
        // Three jobs queued, one of them read by a starter (in hand 1, waiting 2), two dead letters, one running container.
        for (var i = 0; i < 3; i++)
        {
            await _staged.Redis.XAddAsync(Streams.Pending, [new(StreamFields.Data, "{}")]);
        }

        var starter = _staged.Queue(Streams.Pending, ConsumerGroups.Starter, "s1");
        await starter.EnsureGroupAsync();
        Assert.Single(await starter.ReadAsync(1, TimeSpan.FromSeconds(1)));
        foreach (var reason in new[] { "data is not JSON", "callback answered 404" })
        {
            await _staged.Redis.XAddAsync(Streams.Dead, [new(StreamFields.Data, "{}"), new(StreamFields.Reason, reason), new(StreamFields.Source, Streams.Pending), new(StreamFields.SourceId, "1-0")]);
        }

        await _staged.StartContainerAsync("1-0");
        await using var terminal = await TmuxSession.StartAsync(_staged.Settings, 140, 60,
            "dotnet", Path.Combine(AppContext.BaseDirectory, "correctomatic.dll"), "top", "--interval", "1s");

        await terminal.WaitForAsync(s => Row(s, Streams.Pending) is [_, "3", _]
                && Row(s, "starter") is [_, _, "1", "2", _, _]
                && Row(s, _staged.DockerHostId) is [_, "1", "0"]
                && s.Any(l => l.Contains("dead letters: 2", StringComparison.Ordinal))
                && s.Any(l => l.Contains("callback answered 404", StringComparison.Ordinal)),
            "3 pending (1 in hand by the starter, 2 waiting), 1 running container on our host, 2 dead letters", TimeSpan.FromSeconds(60));

        // Four more jobs: the next frames show the depth and a rate in over the samples around the XADDs (the rate window
        // keeps it above 0 for about 10 s, so a slow screen read still sees it).
        for (var i = 0; i < 4; i++)
        {
            await _staged.Redis.XAddAsync(Streams.Pending, [new(StreamFields.Data, "{}")]);
        }

        await terminal.WaitForAsync(s => Row(s, Streams.Pending) is [_, "7", var rate] && double.Parse(rate, System.Globalization.CultureInfo.InvariantCulture) > 0
                && Row(s, "starter") is [_, _, "1", "6", _, _],
            "7 pending, a positive rate in, 6 waiting for the starter", TimeSpan.FromSeconds(30));

        Assert.False(await terminal.CursorVisibleAsync(), "the live display hides the cursor while it runs");
        await terminal.SendKeysAsync("C-c");
        var ended = await terminal.WaitForAsync(s => s.Any(l => l.Contains(TmuxSession.ExitMarker, StringComparison.Ordinal)), "top's end", TimeSpan.FromSeconds(30));

        Assert.Contains(TmuxSession.ExitMarker + "0", string.Join('\n', ended), StringComparison.Ordinal);
        Assert.True(await terminal.CursorVisibleAsync(), "top left the cursor hidden");
        // Redrawn in place by the live display: the cursor hidden while it runs and shown at the end, never a clear screen.
        var raw = terminal.RawOutput;
        Assert.Contains("\e[?25l", raw, StringComparison.Ordinal);
        Assert.True(raw.LastIndexOf("\e[?25h", StringComparison.Ordinal) > raw.LastIndexOf("\e[?25l", StringComparison.Ordinal), "the cursor is not shown again after the last hide");
        Assert.DoesNotContain("\e[2J", raw, StringComparison.Ordinal);
    }

    /// <summary>The cells of the table row whose first cell is <paramref name="first"/>, or null.</summary>
    private static string[]? Row(IReadOnlyList<string> screen, string first) =>
        screen.Select(line => line.Split(['│', '|'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .FirstOrDefault(cells => cells.Length > 1 && cells[0] == first);
}
