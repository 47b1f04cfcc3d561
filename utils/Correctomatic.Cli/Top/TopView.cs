using System.Globalization;
using Correctomatic.Cli.Operations;
using Correctomatic.Shared.Contracts;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Correctomatic.Cli.Top;

/// <summary>
/// The screen of <c>top</c>: streams with their rate in, the stages (consumer groups) with what they hold, what waits
/// for them and their rate out, our containers per Docker host, and the dead letters. Every cell has a value ("-" when
/// unknown), so the screen reads the same to an operator and to a test.
/// </summary>
public static class TopView
{
    public static IRenderable Render(TopSample? previous, TopSample current, StreamNames streams, TimeSpan interval)
    {
        var header = new Markup($"[bold]correctomatic top[/]  prefix {Markup.Escape(streams.Prefix)}  "
            + $"{current.At.ToUniversalTime():HH:mm:ss}Z  every {Shared.Configuration.Durations.Format(interval)}  [dim]Ctrl+C quits[/]");

        var streamTable = new Table().Title("streams").AddColumns("stream", "length", "in/s");
        var stageTable = new Table().Title("stages").AddColumns("stage", "stream", "in hand", "waiting", "oldest in hand", "out/s");
        foreach (var queue in current.Queues)
        {
            streamTable.AddRow(Markup.Escape(queue.Stream), queue.Exists ? Count(queue.Length) : "-", Rate(TopRates.Added(previous, current, queue.Stream)));
            foreach (var group in queue.Groups)
            {
                stageTable.AddRow(Markup.Escape(Stage(group.Name)), Markup.Escape(queue.Stream), Count(group.Pending), group.Lag is { } lag ? Count(lag) : "-",
                    QueueInspector.Format(group.OldestPendingIdle), Rate(TopRates.Done(previous, current, queue.Stream, group.Name)));
            }
        }

        if (stageTable.Rows.Count == 0)
        {
            stageTable.AddRow("(no consumer group yet)", "-", "-", "-", "-", "-");
        }

        var containerTable = new Table().Title("containers").AddColumns("docker host", "running", "other");
        foreach (var host in current.Containers)
        {
            containerTable.AddRow(Markup.Escape(host.DockerHost), Count(host.Running), Count(host.Other));
        }

        if (current.ContainersError is { } error)
        {
            containerTable.AddRow(Markup.Escape(error), "-", "-");
        }
        else if (current.Containers.Count == 0)
        {
            containerTable.AddRow("(none)", "0", "0");
        }

        var deadCount = current.Queues.FirstOrDefault(q => q.Stream == streams.Dead) is { Exists: true } d ? d.Length : 0;
        var deadTable = new Table().Title($"dead letters: {Count(deadCount)}").AddColumns("id", "source", "reason");
        foreach (var entry in current.NewestDead)
        {
            deadTable.AddRow(Markup.Escape(entry.Id), Markup.Escape(entry.Field(StreamFields.Source) ?? "-"),
                Markup.Escape(Head(entry.Field(StreamFields.Reason) ?? "(no reason)")));
        }

        if (current.NewestDead.Count == 0)
        {
            deadTable.AddRow("(none)", "-", "-");
        }

        return new Rows(header, streamTable, stageTable, containerTable, deadTable);
    }

    private static string Stage(string group) => group.StartsWith("completer:", StringComparison.Ordinal)
        ? $"completer ({group["completer:".Length..]})" : group;

    private static string Count(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Rate(double? perSecond) => perSecond?.ToString("0.0", CultureInfo.InvariantCulture) ?? "-";

    private static string Head(string reason) => reason.Length <= 80 ? reason : reason[..79] + "…";
}
