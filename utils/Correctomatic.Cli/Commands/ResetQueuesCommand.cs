using System.CommandLine;
using Correctomatic.Cli.Operations;

namespace Correctomatic.Cli.Commands;

/// <summary>
/// <c>reset-queues</c>: deletes the streams, their consumer groups and the services' keys under the prefix, after the
/// operator types the prefix back: deleting the queues loses every job in them, so it must not happen by mistake, and a
/// guard asked for at the prompt (or <c>--yes</c> in a script) needs no edit of the source to get past.
/// </summary>
public static class ResetQueuesCommand
{
    public static Command Create()
    {
        var yes = CliOptions.Yes();
        var command = new Command("reset-queues", "Delete every stream, consumer group and key under QUEUE_PREFIX (asks to type the prefix).") { yes };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(async environment =>
        {
            var resetter = new QueueResetter(await environment.RedisAsync(cancellationToken), environment.Streams);
            var keys = await resetter.FindKeysAsync(cancellationToken);
            if (keys.Count == 0)
            {
                Console.WriteLine($"nothing to delete under '{environment.Streams.Prefix}'");
                return ExitCodes.Ok;
            }

            Console.WriteLine($"keys under '{environment.Streams.Prefix}':");
            foreach (var key in keys)
            {
                Console.WriteLine("  " + key);
            }

            if (!parse.GetValue(yes))
            {
                Console.Write($"type the prefix '{environment.Streams.Prefix}' to delete them: ");
                var answer = Console.ReadLine();
                if (answer?.Trim() != environment.Streams.Prefix)
                {
                    Console.WriteLine("not confirmed: nothing deleted");
                    return ExitCodes.Failed;
                }
            }

            var deleted = await resetter.DeleteAsync(keys, cancellationToken);
            Console.WriteLine($"deleted {deleted} key(s)");
            return ExitCodes.Ok;
        }));
        return command;
    }
}
