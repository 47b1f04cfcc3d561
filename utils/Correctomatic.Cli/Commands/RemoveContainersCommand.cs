using System.CommandLine;
using Correctomatic.Cli.Operations;
using Correctomatic.Shared.Configuration;

namespace Correctomatic.Cli.Commands;

/// <summary><c>remove-containers</c>: removes grader containers carrying our label (never by name), optionally only old ones; <c>--dry-run</c> lists them.</summary>
public static class RemoveContainersCommand
{
    public static Command Create()
    {
        var olderThan = new Option<string?>("--older-than") { Description = "Only containers created at least this long ago (e.g. 30m, 2h, 1d)." };
        var dryRun = new Option<bool>("--dry-run") { Description = "List what would be removed; remove nothing." };
        var command = new Command("remove-containers", "Remove grader containers labelled as ours for this QUEUE_PREFIX.") { olderThan, dryRun };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(async environment =>
        {
            TimeSpan? age = null;
            if (parse.GetValue(olderThan) is { } text)
            {
                age = Durations.TryParse(text, out var parsed) ? parsed : throw new InvalidInputException($"--older-than '{text}' is not a duration (e.g. 30m, 2h, 1d)");
            }

            var cleaner = new ContainerCleaner(environment.Docker(), environment.Common.QueuePrefix, TimeProvider.System);
            var containers = await cleaner.FindAsync(age, cancellationToken);
            foreach (var container in containers)
            {
                Console.WriteLine($"{(parse.GetValue(dryRun) ? "would remove" : "removing")} {container.Id[..12]} {string.Join(',', container.Names)} ({container.State}, {container.Image})");
            }

            if (!parse.GetValue(dryRun))
            {
                await cleaner.RemoveAsync(containers, cancellationToken);
            }

            Console.WriteLine($"{containers.Count} container(s) {(parse.GetValue(dryRun) ? "would be removed" : "removed")}");
            return ExitCodes.Ok;
        }));
        return command;
    }
}
