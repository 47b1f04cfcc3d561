using System.CommandLine;
using System.Text.Json;
using Correctomatic.Cli.Operations;
using Correctomatic.Shared.Contracts;

namespace Correctomatic.Cli.Commands;

/// <summary><c>dead-letters list | replay ID... | purge [ID...]</c>: inspect and re-queue what failed for good.</summary>
public static class DeadLettersCommand
{
    public static Command Create()
    {
        var count = new Option<int>("--count", "-n") { Description = "How many to list.", DefaultValueFactory = _ => 100 };
        var json = CliOptions.Json();
        var list = new Command("list", "List dead entries: id, the stream they died in, why, and their data.") { count, json };
        list.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(async environment =>
        {
            var entries = await new DeadLetterStore(await environment.RedisAsync(cancellationToken), environment.Streams).ListAsync(parse.GetValue(count), cancellationToken);
            foreach (var entry in entries)
            {
                Console.WriteLine(parse.GetValue(json)
                    ? JsonSerializer.Serialize(new { id = entry.Id, fields = entry.Fields })
                    : $"{entry.Id}\t{entry.Field(StreamFields.Source)}\t{entry.Field(StreamFields.Reason)}\t{entry.Field(StreamFields.Data)}");
            }

            return ExitCodes.Ok;
        }));

        var replayIds = new Argument<string[]>("id") { Description = "Dead entry ids.", Arity = ArgumentArity.OneOrMore };
        var replay = new Command("replay", "Re-queue dead entries into the stream they died in.") { replayIds };
        replay.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(async environment =>
        {
            var store = new DeadLetterStore(await environment.RedisAsync(cancellationToken), environment.Streams);
            foreach (var id in parse.GetValue(replayIds)!)
            {
                var (stream, newId) = await store.ReplayAsync(id, cancellationToken);
                Console.WriteLine($"{id} -> {stream} {newId}");
            }

            return ExitCodes.Ok;
        }));

        var purgeIds = new Argument<string[]>("id") { Description = "Dead entry ids; none: all of them.", Arity = ArgumentArity.ZeroOrMore };
        var yes = CliOptions.Yes();
        var purge = new Command("purge", "Delete dead entries (all of them when no id is given, after confirmation).") { purgeIds, yes };
        purge.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(async environment =>
        {
            var ids = parse.GetValue(purgeIds) ?? [];
            if (ids.Length == 0 && !parse.GetValue(yes))
            {
                Console.Write($"type 'purge' to delete every entry of {environment.Streams.Dead}: ");
                if (Console.ReadLine()?.Trim() != "purge")
                {
                    Console.WriteLine("not confirmed: nothing deleted");
                    return ExitCodes.Failed;
                }
            }

            var deleted = await new DeadLetterStore(await environment.RedisAsync(cancellationToken), environment.Streams).PurgeAsync(ids, cancellationToken);
            Console.WriteLine($"deleted {deleted} dead entr{(deleted == 1 ? "y" : "ies")}");
            return ExitCodes.Ok;
        }));

        return new Command("dead-letters", "Inspect, replay or purge entries that could never complete.") { list, replay, purge };
    }
}
