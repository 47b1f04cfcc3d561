using System.CommandLine;
using Correctomatic.Cli.Dashboard;
using Microsoft.Extensions.Logging;

namespace Correctomatic.Cli.Commands;

/// <summary><c>dashboard --listen URL [--allow-remote] [--read-only]</c>: the operator's page in the browser (issue #17).</summary>
public static class DashboardCommand
{
    public static Command Create()
    {
        var listen = new Option<string>("--listen") { Description = "Where to serve, e.g. http://127.0.0.1:8080 (loopback unless --allow-remote).", DefaultValueFactory = _ => "http://127.0.0.1:8080" };
        var allowRemote = new Option<bool>("--allow-remote") { Description = "Allow a non-loopback --listen (or DASHBOARD_ALLOW_REMOTE=true)." };
        var readOnly = new Option<bool>("--read-only") { Description = "Refuse replay and purge (or DASHBOARD_READ_ONLY=true)." };
        var command = new Command("dashboard", "Serve the operator's dashboard: queues, throughput, containers, job search, dead letters. Needs DASHBOARD_TOKEN.")
        {
            listen, allowRemote, readOnly,
        };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(async environment =>
        {
            var settings = DashboardSettings.Read(environment.Settings, parse.GetValue(listen)!, parse.GetValue(allowRemote), parse.GetValue(readOnly));
            environment.Settings.ThrowIfInvalid();
            using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true));
            await using var server = await DashboardServer.StartAsync(settings,
                new DashboardReads(await environment.RedisAsync(cancellationToken), environment.Streams), environment.Docker(), TimeProvider.System, loggers, cancellationToken);
            Console.WriteLine($"dashboard on {server.Address} (Ctrl+C to stop)");
            try
            {
                await server.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C: stop serving.
            }

            return ExitCodes.Ok;
        }));
        return command;
    }
}
