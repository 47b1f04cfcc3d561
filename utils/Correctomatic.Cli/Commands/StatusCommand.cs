using System.CommandLine;
using System.Text.Json;
using Correctomatic.Cli.Dashboard;
using Correctomatic.Cli.Status;
using Spectre.Console;

namespace Correctomatic.Cli.Commands;

/// <summary>
/// <c>status JOB_ID [--json] [--watch]</c> (issue #16): where a job is, its attempts, timings and verdict. With
/// <c>--watch</c> it reads again every <c>--interval</c> until the job is delivered or dead, or Ctrl+C; with
/// <c>--json</c> each change is one JSON document on its own line.
/// </summary>
public static class StatusCommand
{
    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = false };

    public static Command Create()
    {
        var jobId = new Argument<string>("job-id") { Description = "The job id: the id of its entry in pending (what submit printed)." };
        var json = CliOptions.Json();
        var watch = new Option<bool>("--watch", "-w") { Description = "Refresh until the job is delivered or dead (or Ctrl+C)." };
        var interval = CliOptions.Interval();
        var command = new Command("status", "Show where a job is: pending, being started, running (host, container), finished, delivered or dead; its attempts, timings and verdict.")
        {
            jobId, json, watch, interval,
        };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(async environment =>
        {
            var id = parse.GetValue(jobId)!.Trim();
            if (!StreamIds.IsId(id))
            {
                await Console.Error.WriteLineAsync($"'{id}' is not a job id: a job id is the id of its pending entry, such as 1700000000000-0");
                return ExitCodes.Usage;
            }

            var reader = new JobStatusReader(new DashboardReads(await environment.RedisAsync(cancellationToken), environment.Streams), environment.Docker());
            var first = await reader.ReadAsync(id, cancellationToken);
            if (first is null)
            {
                await Console.Error.WriteLineAsync($"unknown job {id}: no entry in {string.Join(", ", environment.Streams.All)} belongs to it (never queued, or trimmed since)");
                return ExitCodes.NotFound;
            }

            if (!parse.GetValue(watch))
            {
                Write(first, parse.GetValue(json));
                return ExitCodes.Ok;
            }

            using var interrupt = new InterruptScope(cancellationToken);
            return await WatchAsync(reader, first, parse.GetValue(json), parse.GetValue(interval), interrupt.Token);
        }));
        return command;
    }

    /// <summary>Reads again every <paramref name="interval"/>, showing each change, until a final state (0), the job vanishes (4) or Ctrl+C (0).</summary>
    private static async Task<int> WatchAsync(JobStatusReader reader, JobStatusReport first, bool json, TimeSpan interval, CancellationToken cancellationToken)
    {
        var report = first;
        var shown = ChangeKey(first);
        var live = !json && !Console.IsOutputRedirected;
        try
        {
            if (live)
            {
                // In a terminal: one status, redrawn in place (Spectre's live display) until final.
                return await AnsiConsole.Live(JobStatusView.Render(first)).StartAsync(async context =>
                {
                    while (!report.Final)
                    {
                        await Task.Delay(interval, TimeProvider.System, cancellationToken);
                        if (await reader.ReadAsync(report.JobId, cancellationToken) is not { } next)
                        {
                            return ExitCodes.NotFound;
                        }

                        report = next;
                        context.UpdateTarget(JobStatusView.Render(report));
                    }

                    return ExitCodes.Ok;
                });
            }

            Write(first, json);
            while (!report.Final)
            {
                await Task.Delay(interval, TimeProvider.System, cancellationToken);
                if (await reader.ReadAsync(report.JobId, cancellationToken) is not { } next)
                {
                    await Console.Error.WriteLineAsync($"job {report.JobId} is no longer in any stream (trimmed?)");
                    return ExitCodes.NotFound;
                }

                report = next;
                if (ChangeKey(report) is var now && now != shown)
                {
                    shown = now;
                    Write(report, json);
                }
            }

            return ExitCodes.Ok;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C: the operator stopped watching; what was shown stands.
            return ExitCodes.Ok;
        }
    }

    private static void Write(JobStatusReport report, bool json)
    {
        if (json)
        {
            Console.WriteLine(Json(report));
            return;
        }

        AnsiConsole.Write(JobStatusView.Render(report));
        AnsiConsole.WriteLine();
    }

    /// <summary>The report without the idle times, which grow on every read: a new line only when something happened.</summary>
    private static string ChangeKey(JobStatusReport report) => Json(report with
    {
        Starter = report.Starter is { } s ? s with { IdleMs = 0 } : null,
        Completer = report.Completer is { } c ? c with { IdleMs = 0 } : null,
    });

    private static string Json(JobStatusReport report) => JsonSerializer.Serialize(report, s_json);
}
