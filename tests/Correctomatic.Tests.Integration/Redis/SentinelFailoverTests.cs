using System.Collections.Concurrent;
using Correctomatic.Shared.Configuration;
using Correctomatic.Shared.Contracts;
using Correctomatic.Shared.Redis;
using StackExchange.Redis;

namespace Correctomatic.Tests.Integration.Redis;

/// <summary>
/// Failover under load (issue #12): the primary is killed while 200 jobs flow through StreamQueue hand-offs. With
/// REDIS_WAIT_REPLICAS=1 a hand-off returns only once the replica has it, so none that returned is lost when the replica
/// is promoted; the same connections follow Sentinel to the new primary without a restart.
/// </summary>
public sealed class SentinelFailoverTests : IAsyncLifetime
{
    private const int Jobs = 200;
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(120);
    private SentinelTopology _topology = null!;

    public async Task InitializeAsync() => _topology = await SentinelTopology.StartAsync();

    public async Task DisposeAsync() => await _topology.DisposeAsync();

    [Fact]
    public async Task HandOffs_PrimaryKilledMidFlow_NoHandedOffJobIsLostAndClientsFollowTheFailover()
    {
        await WaitUntilAsync(async () => (await SentinelTopology.CliAsync(_topology.PrimaryPort, "INFO", "replication")).Stdout.Contains("state=online", StringComparison.Ordinal)
                                         && (await SentinelTopology.CliAsync(_topology.SentinelPorts[0], "SENTINEL", "replicas", SentinelTopology.Service)).Stdout.Contains("slave", StringComparison.Ordinal));
        await using var redis = new RedisConnections(new RedisClientOptions
        {
            Endpoint = RedisEndpoint.Parse(_topology.SentinelUrl),
            ClientName = "failover-test",
            ConnectTimeout = TimeSpan.FromSeconds(2),
            CommandTimeout = TimeSpan.FromSeconds(3),
            WaitReplicas = 1,
            WaitTimeout = TimeSpan.FromSeconds(2),
        });
        await using var queue = new StreamQueue(redis, new StreamQueueOptions
        {
            // Reclaimed every second here (a stage waits minutes): deliveries during the failover are retries, not poison.
            Stream = "f:pending", Group = "starter", Consumer = "c1", DeadStream = "f:dead", MaxDeliveries = 1000,
        });
        await queue.EnsureGroupAsync();
        for (var i = 0; i < Jobs; i++)
        {
            await redis.Database.XAddAsync("f:pending", [new(StreamFields.Data, $"{{\"job\":{i}}}")]);
        }

        // The submissions themselves are on the replica before the kill (a producer that must not lose one WAITs too).
        var replicated = await redis.Database.ExecuteAsync("WAIT", [1, 2000], CommandFlags.DemandMaster);
        Assert.True((long)replicated == 1, $"WAIT answered {replicated}; endpoints {string.Join(", ", redis.Shared.GetEndPoints().Select(e => e + (redis.Shared.GetServer(e).IsReplica ? " replica" : " primary")))}; primary {_topology.PrimaryPort}");

        var handedOff = new ConcurrentDictionary<string, string>(StringComparer.Ordinal); // job → running entry id, as returned
        using var stop = new CancellationTokenSource(Limit);
        var errors = new ConcurrentQueue<string>();
        var killed = false;
        // Half the jobs wait for the kill: the 50th hand-off starts it, the flow goes on meanwhile, and a fresh-clone run
        // saw all 200 done before a slow kill landed (the test then refused itself). Load, not lockstep: hand-offs 50 to
        // 99 race the kill.
        var killIssued = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var afterKill = 0;
        var unsure = new Dictionary<string, Correctomatic.Shared.Redis.StreamEntry>(StringComparer.Ordinal);
        var consumer = Task.Run(async () =>
        {
            var done = false;
            while (!done && !stop.IsCancellationRequested)
            {
                try
                {
                    // A hand-off that failed is run again, as a stage would before any irreversible step: done (its
                    // marker answers), or undone by the failover (still pending for us, so it runs now).
                    var entries = unsure.Values.ToList()
                        .Concat(await queue.ReadAsync(8, TimeSpan.FromMilliseconds(200), stop.Token))
                        .Concat(await queue.ReclaimAsync(TimeSpan.FromSeconds(1), 8, stop.Token)).ToList();
                    foreach (var entry in entries)
                    {
                        var job = entry.Field(StreamFields.Data)!;
                        unsure[entry.Id] = entry;
                        if (handedOff.Count >= Jobs / 2)
                        {
                            await killIssued.Task.WaitAsync(stop.Token);
                        }

                        if (await queue.TryHandOffAsync(entry.Id, "f:running", [new(StreamFields.Data, job)], stop.Token) is { } id)
                        {
                            handedOff[job] = id;
                            afterKill += killed ? 1 : 0;
                        }

                        unsure.Remove(entry.Id);
                        await Task.Delay(5, stop.Token); // paced, so the kill lands mid-flow (load, not synchronisation)
                    }

                    // Done when every job is in running: a hand-off whose answer came from the wrong server during the
                    // failover (the restarted, still empty old primary says "not yours") is not counted, but is there.
                    done = entries.Count == 0 && (await redis.Database.XRangeAsync("f:running")).Select(e => e.Field(StreamFields.Data)).Distinct().Count() == Jobs;
                }
                catch (Exception ex) when (ex is RedisConnectionException or RedisTimeoutException or TimeoutException or RedisServerException)
                {
                    errors.Enqueue($"{handedOff.Count}: {ex.GetType().Name}: {ex.Message[..Math.Min(160, ex.Message.Length)]}");
                    // The failover: connections drop, writes are refused (READONLY), WAIT falls short. Try again.
                    await Task.Delay(50);
                }
            }

            return done;
        });

        await WaitUntilAsync(() => Task.FromResult(handedOff.Count >= 50));
        await TestContainers.KillAsync(_topology.Primary);
        killed = true;
        killIssued.SetResult();
        // Sentinel promotes the replica; the old primary comes back (as a supervisor would restart it) and Sentinel
        // makes it the new primary's replica, so hand-offs can be durable (WAIT 1) again.
        await WaitUntilAsync(async () => (await SentinelTopology.CliAsync(_topology.SentinelPorts[0], "SENTINEL", "get-master-addr-by-name", SentinelTopology.Service))
            .Stdout.Contains(_topology.ReplicaPort.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
        await _topology.StartPrimaryAgainAsync();
        var finished = false;
        try
        {
            finished = await consumer.WaitAsync(Limit);
        }
        catch (Exception ex) when (ex is OperationCanceledException or TimeoutException)
        {
            // Reported below, with the rest.
        }

        var state = $"{handedOff.Count} of {Jobs} handed off, {afterKill} after the kill; {errors.Count} errors, the last: {string.Join(" | ", errors.TakeLast(8))}";
        Assert.True(finished, "the flow did not finish within " + Limit + ": " + state);
        Assert.True(afterKill > 0, "every hand-off was over before the kill, no failover under load: " + state);

        // Every job was handed off once, and every hand-off that returned is on the new primary (the promoted replica).
        IReadOnlyList<Correctomatic.Shared.Redis.StreamEntry> running = [];
        await WaitUntilAsync(async () =>
        {
            try
            {
                running = await redis.Database.XRangeAsync("f:running");
                return true;
            }
            catch (Exception ex) when (ex is RedisConnectionException or RedisTimeoutException)
            {
                return false; // still following the failover
            }
        });
        var survivors = running.Select(e => e.Id).ToHashSet(StringComparer.Ordinal);
        Assert.All(handedOff, pair => Assert.Contains(pair.Value, survivors));
        Assert.Equal(Jobs, running.Count);
        Assert.Equal(Jobs, running.Select(e => e.Field(StreamFields.Data)).Distinct().Count());
        var primary = await SentinelTopology.CliAsync(_topology.SentinelPorts[0], "SENTINEL", "get-master-addr-by-name", SentinelTopology.Service);
        Assert.Contains(_topology.ReplicaPort.ToString(System.Globalization.CultureInfo.InvariantCulture), primary.Stdout, StringComparison.Ordinal);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (!await condition())
        {
            Assert.True(TimeProvider.System.GetElapsedTime(started) < Limit, "condition not reached within " + Limit);
            await Task.Delay(50);
        }
    }
}
