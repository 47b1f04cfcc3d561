using System.CommandLine;
using System.Text.Json;
using Correctomatic.Cli.Operations;
using Spectre.Console;

namespace Correctomatic.Cli.Commands;

/// <summary><c>queues</c>: for each stream its length, and per consumer group pending entries, the oldest pending entry's idle time, consumers and their idle time.</summary>
public static class QueuesCommand
{
    public static Command Create()
    {
        var json = CliOptions.Json();
        var command = new Command("queues", "Show the streams: length, pending entries per group, oldest pending age, consumers, dead entries.") { json };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(async environment =>
        {
            var reports = await new QueueInspector(await environment.RedisAsync(cancellationToken), environment.Streams).InspectAsync(cancellationToken);
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(reports.Select(r => new
                {
                    stream = r.Stream, exists = r.Exists, length = r.Length,
                    groups = r.Groups.Select(g => new
                    {
                        name = g.Name, pending = g.Pending, lag = g.Lag, oldest_pending_idle_ms = (long?)g.OldestPendingIdle?.TotalMilliseconds,
                        consumers = g.Consumers.Select(c => new { name = c.Name, pending = c.Pending, idle_ms = (long)c.Idle.TotalMilliseconds }),
                    }),
                })));
                return ExitCodes.Ok;
            }

            var table = new Table().AddColumns("stream", "length", "group", "pending", "lag", "oldest pending idle", "consumers (pending, idle)");
            foreach (var report in reports)
            {
                if (report.Groups.Count == 0)
                {
                    table.AddRow(Markup.Escape(report.Stream), report.Exists ? report.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) : "(none)", "-", "-", "-", "-", "-");
                }

                foreach (var group in report.Groups)
                {
                    table.AddRow(Markup.Escape(report.Stream), report.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), Markup.Escape(group.Name),
                        group.Pending.ToString(System.Globalization.CultureInfo.InvariantCulture), group.Lag?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-",
                        QueueInspector.Format(group.OldestPendingIdle),
                        Markup.Escape(string.Join(", ", group.Consumers.Select(c => $"{c.Name} ({c.Pending}, {QueueInspector.Format(c.Idle)})"))));
                }
            }

            AnsiConsole.Write(table);
            return ExitCodes.Ok;
        }));
        return command;
    }
}
