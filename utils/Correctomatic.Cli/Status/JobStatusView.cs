using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Correctomatic.Cli.Status;

/// <summary>The text form of a <see cref="JobStatusReport"/>: one line per fact, the state first.</summary>
public static class JobStatusView
{
    public static IRenderable Render(JobStatusReport report)
    {
        var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
        Row(grid, "job", report.JobId + (report.WorkId is { } w ? $" (work {w})" : ""));
        grid.AddRow(new Markup("[bold]state[/]"), new Markup($"[bold {Colour(report.State)}]{Markup.Escape(report.Summary)}[/]"));
        var t = report.Timings;
        Row(grid, "queued", Time(t.QueuedAt));
        Row(grid, "started", Time(t.StartedAt));
        Row(grid, "finished", Time(t.FinishedAt) + (t.DurationMs is { } d ? $" (ran {d} ms)" : ""));
        if (report.Starter is { } s)
        {
            Row(grid, "starter", $"{s.Consumer} in {s.Group}: delivery {s.Deliveries}, idle {s.IdleMs} ms");
        }

        if (report.Container is { } c)
        {
            Row(grid, "container", $"{c.Id} on {c.DockerHost ?? "?"}: {c.State ?? "state unknown to this engine"}, image {c.Image ?? "?"}, deadline {Time(c.Deadline)}");
        }

        if (report.Completer is { } m)
        {
            Row(grid, "completer", $"{m.Consumer} in {m.Group}: delivery {m.Deliveries}, idle {m.IdleMs} ms");
        }

        if (report.Verdict is { } v)
        {
            Row(grid, "verdict", v.Status + (v.Grade is { } g ? $", grade {g.ToString(CultureInfo.InvariantCulture)}" : "")
                + (v.MaxGrade is { } x ? $" of {x.ToString(CultureInfo.InvariantCulture)}" : "") + (v.Error is { } e ? $": {e}" : ""));
        }

        if (report.Callback is { } cb)
        {
            Row(grid, "callback", (cb.Delivered ? "delivered" : "not delivered") + (t.DeliveredAt is { } at ? " at " + Time(at) : ""));
            foreach (var attempt in cb.Attempts)
            {
                Row(grid, "  attempt", attempt.ToString());
            }
        }

        foreach (var dead in report.Dead)
        {
            Row(grid, "dead", $"{dead.Id} from {dead.Source ?? "?"} ({dead.SourceId ?? "?"}): {dead.Reason ?? "(no reason)"}");
        }

        return grid;
    }

    private static void Row(Grid grid, string name, string value) => grid.AddRow(new Text(name), new Text(value));

    private static string Time(DateTimeOffset? at) => at?.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture) ?? "-";

    private static string Colour(JobState state) => state switch
    {
        JobState.Delivered => "green",
        JobState.Dead => "red",
        JobState.Finished => "yellow",
        _ => "blue",
    };
}
