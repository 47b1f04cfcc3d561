using System.CommandLine;
using Correctomatic.Cli.Dashboard;
using Correctomatic.Cli.Top;
using Spectre.Console;

namespace Correctomatic.Cli.Commands;

/// <summary>
/// <c>top [--interval 1s]</c> (issue #16): a live terminal view of the pipeline, redrawn in place by Spectre.Console's
/// live display (no clearing of the screen, so no flicker). Ctrl+C ends it with exit code 0, the cursor shown again.
/// </summary>
public static class TopCommand
{
    /// <summary>
    /// Rates are over the samples of about this long (or two intervals, if longer): steady enough to read, and a burst
    /// stays on screen for a few frames instead of one.
    /// </summary>
    private static readonly TimeSpan s_rateWindow = TimeSpan.FromSeconds(10);

    public static Command Create()
    {
        var interval = CliOptions.Interval();
        var command = new Command("top", "Live view: queue depth and lag, rates per stage, running containers per Docker host, dead letters (Ctrl+C quits).")
        {
            interval,
        };
        command.SetAction((parse, outerToken) => CommandRunner.RunAsync(async environment =>
        {
            using var interrupt = new InterruptScope(outerToken);
            try
            {
                await RunAsync(environment, parse.GetValue(interval), interrupt.Token);
            }
            catch (OperationCanceledException) when (interrupt.Token.IsCancellationRequested)
            {
                // Ctrl+C: a normal way to leave top, wherever it came (even before the first frame).
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    private static async Task RunAsync(CliEnvironment environment, TimeSpan every, CancellationToken cancellationToken)
    {
        var reads = new DashboardReads(await environment.RedisAsync(cancellationToken), environment.Streams);
        var queries = new DashboardQueries(reads, environment.Docker(), TimeProvider.System);
        var sample = await TopSample.ReadAsync(reads, queries, TimeProvider.System, cancellationToken);
        var live = AnsiConsole.Live(TopView.Render(null, sample, environment.Streams, every))
            .Overflow(VerticalOverflow.Ellipsis)
            .Cropping(VerticalOverflowCropping.Bottom);

        // The cancellation ends the delegate normally, inside the live display, so it draws its last frame and shows
        // the cursor again before the process ends.
        var window = new Queue<TopSample>([sample]);
        var span = s_rateWindow > 2 * every ? s_rateWindow : 2 * every;
        await live.StartAsync(async context =>
        {
            try
            {
                while (true)
                {
                    await Task.Delay(every, TimeProvider.System, cancellationToken);
                    var next = await TopSample.ReadAsync(reads, queries, TimeProvider.System, cancellationToken);
                    while (window.Count > 1 && next.At - window.Peek().At > span)
                    {
                        window.Dequeue();
                    }

                    context.UpdateTarget(TopView.Render(window.Peek(), next, environment.Streams, every));
                    window.Enqueue(next);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Ctrl+C (InterruptScope).
            }
        });
    }
}
