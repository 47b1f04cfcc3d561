using Correctomatic.Shared.Configuration;
using Correctomatic.Tests.Integration.Infrastructure;
using Correctomatic.Shared.Contracts;
using Correctomatic.Shared.Redis;
using StackExchange.Redis;

namespace Correctomatic.Tests.Integration.Redis;

/// <summary>
/// The adapter when Redis goes away and comes back (issues #3, #12): no task waits forever, commands recover without a
/// restart of ours, scripts survive the script cache being emptied, a hand-off run twice counts once.
/// </summary>
public sealed class StreamQueueResilienceTests : IAsyncLifetime
{
    private static readonly TimeSpan NoHang = TimeSpan.FromSeconds(30);
    private RedisServer _server = null!;
    private RedisConnections _redis = null!;

    // AOF with fsync on every write: what was acknowledged before the kill is there after the restart (a server without
    // persistence may lose it, and then the test would check Redis, not us).
    public async Task InitializeAsync()
    {
        _server = await RedisServer.StartAsync(false, "--appendonly", "yes", "--appendfsync", "always");
        _redis = new RedisConnections(new RedisClientOptions
        {
            Endpoint = RedisEndpoint.Parse(_server.UnixUrl),
            ClientName = "resilience-test",
            ConnectTimeout = TimeSpan.FromSeconds(2),
            CommandTimeout = TimeSpan.FromSeconds(3),
        });
    }

    public async Task DisposeAsync()
    {
        await _redis.DisposeAsync();
        await _server.DisposeAsync();
    }

    private StreamQueue CreateSut(string consumer = "c1") => new(_redis, new StreamQueueOptions
    {
        Stream = "r:pending",
        Group = "starter",
        Consumer = consumer,
        DeadStream = "r:dead",
    });

    private static KeyValuePair<string, string>[] Data(string json) => [new(StreamFields.Data, json)];

    [Fact]
    public async Task Queue_ServerKilledAndRestartedMidRun_NoTaskHangsAndHandOffsRecover()
    {
        await using var queue = CreateSut();
        await queue.EnsureGroupAsync();
        using var stop = new CancellationTokenSource();
        var outcomes = new System.Collections.Concurrent.ConcurrentBag<string>();
        var workers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await _redis.Database.XAddAsync("r:pending", Data($"{{\"w\":{w}}}"));
                    outcomes.Add("ok");
                }
                catch (Exception ex) when (ex is RedisConnectionException or RedisTimeoutException)
                {
                    outcomes.Add("connection");
                    await Task.Delay(20);
                }
            }
        })).ToList();
        var reader = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    foreach (var entry in await queue.ReadAsync(10, TimeSpan.FromMilliseconds(200), stop.Token))
                    {
                        await queue.HandOffOwnedAsync(entry.Id, "r:running", entry.Fields.ToList(), stop.Token);
                    }
                }
                catch (Exception ex) when (ex is RedisConnectionException or RedisTimeoutException)
                {
                    await Task.Delay(20);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                }
            }
        });

        await WaitUntilAsync(async () => await _redis.Database.XLenAsync("r:running") > 20);
        await _server.StopAsync();
        await WaitUntilAsync(() => Task.FromResult(outcomes.Contains("connection")));
        await _server.StartAgainAsync();
        var afterRestart = outcomes.Count(o => o == "ok");
        // Writes and hand-offs go on on the same multiplexers, without a restart of ours: the hand-off script comes back
        // after the restart emptied the server's script cache (NOSCRIPT, then EVAL).
        // The multiplexer reconnects in its own time: the first read after the restart may time out, so it is asked again.
        long runningBefore = 0;
        await WaitUntilAsync(async () =>
        {
            runningBefore = await _redis.Database.XLenAsync("r:running");
            return true;
        });
        await WaitUntilAsync(async () => outcomes.Count(o => o == "ok") > afterRestart + 20
                                         && await _redis.Database.XLenAsync("r:running") > runningBefore + 20);
        await stop.CancelAsync();
        await Task.WhenAll([.. workers, reader]).WaitAsync(NoHang);
    }

    [Fact]
    public async Task HandOffAsync_AfterScriptFlush_RunsTheScriptAgain()
    {
        await using var queue = CreateSut();
        await queue.EnsureGroupAsync();
        await _redis.Database.XAddAsync("r:pending", Data("{\"n\":1}"));
        await _redis.Database.XAddAsync("r:pending", Data("{\"n\":2}"));
        var read = await queue.ReadAsync(2, TimeSpan.FromSeconds(1));
        await queue.HandOffOwnedAsync(read[0].Id, "r:running", Data("{}"));

        await _redis.ExecuteAsync("SCRIPT", "FLUSH");

        Assert.NotNull(await queue.TryHandOffAsync(read[1].Id, "r:running", Data("{}")));
        Assert.Equal(2, await _redis.Database.XLenAsync("r:running"));
    }

    [Fact]
    public async Task TryHandOffAsync_RunAgainAfterAnUnknownOutcome_ReportsTheFirstRunAndAddsNothing()
    {
        await using var queue = CreateSut();
        await queue.EnsureGroupAsync();
        await _redis.Database.XAddAsync("r:pending", Data("{}"));
        var entry = Assert.Single(await queue.ReadAsync(1, TimeSpan.FromSeconds(1)));

        var first = await queue.TryHandOffAsync(entry.Id, "r:running", Data("{\"run\":1}"));
        // What a retry after a lost reply does: the same step again. The marker says it is done; nothing is added twice.
        var again = await queue.TryHandOffAsync(entry.Id, "r:running", Data("{\"run\":2}"));

        Assert.Equal(first, again);
        var running = Assert.Single(await _redis.Database.XRangeAsync("r:running"));
        Assert.Equal("{\"run\":1}", running.Field(StreamFields.Data));
        // Another consumer is told the truth: not its hand-off.
        await using var other = CreateSut("c2");
        Assert.Null(await other.TryHandOffAsync(entry.Id, "r:running", Data("{}")));
    }

    [Fact]
    public async Task ReadAsync_CancelledWhileBlocked_ReturnsPromptlyAndTheServerStopsBlocking()
    {
        await using var queue = CreateSut();
        await queue.EnsureGroupAsync();
        using var cts = new CancellationTokenSource();
        var read = queue.ReadAsync(10, TimeSpan.FromSeconds(30), cts.Token);
        await WaitUntilAsync(async () => await BlockedClientsAsync() > 0);
        var started = TimeProvider.System.GetTimestamp();

        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => read.WaitAsync(NoHang));

        Assert.True(TimeProvider.System.GetElapsedTime(started) < TimeSpan.FromSeconds(2));
        // Its dedicated connection was closed, so no client stays blocked on the server; the next read works.
        await WaitUntilAsync(async () => await BlockedClientsAsync() == 0);
        await _redis.Database.XAddAsync("r:pending", Data("{}"));
        Assert.Single(await queue.ReadAsync(10, TimeSpan.FromSeconds(1)).WaitAsync(NoHang));
    }

    [Fact]
    public async Task ReadAsync_WhileBlocked_DoesNotDelayCommandsOnTheSharedMultiplexer()
    {
        await using var queue = CreateSut();
        await queue.EnsureGroupAsync();
        var read = queue.ReadAsync(1, TimeSpan.FromSeconds(20));
        await WaitUntilAsync(async () => await BlockedClientsAsync() > 0);

        var started = TimeProvider.System.GetTimestamp();
        await _redis.Database.PingAsync().WaitAsync(TimeSpan.FromSeconds(3));
        await _redis.Database.XAddAsync("r:pending", Data("{\"wake\":true}"));

        Assert.True(TimeProvider.System.GetElapsedTime(started) < TimeSpan.FromSeconds(2));
        Assert.Equal("{\"wake\":true}", Assert.Single(await read.WaitAsync(NoHang)).Field(StreamFields.Data));
    }

    [Fact]
    public async Task ReadAsync_WaitsConnectionKilledWhileBlocked_TheReadGoesOnAndTheNextWaitRings()
    {
        await using var queue = CreateSut();
        await queue.EnsureGroupAsync();
        var read = queue.ReadAsync(10, TimeSpan.FromSeconds(20));
        await WaitUntilAsync(async () => await BlockedClientsAsync() > 0);

        // The wait's own connection dies (what a failover does to it); the shared multiplexer is untouched.
        var clients = (await _server.CliAsync("CLIENT", "LIST")).Stdout.Split('\n', StringSplitOptions.TrimEntries);
        var waiter = Assert.Single(clients, c => c.Contains(" name=resilience-test-read ", StringComparison.Ordinal) && c.Contains(" cmd=xread ", StringComparison.Ordinal));
        var killed = (await _server.CliAsync("CLIENT", "KILL", "ID", waiter.Split(' ')[0]["id=".Length..])).Stdout;
        Assert.Empty(await read.WaitAsync(NoHang)); // nothing new, and no exception: only the doorbell failed

        // A fresh wait (a new connection) rings for the next entry.
        var next = queue.ReadAsync(10, TimeSpan.FromSeconds(20));
        await WaitUntilAsync(async () => await BlockedClientsAsync() > 0);
        await _redis.Database.XAddAsync("r:pending", Data("{\"after\":true}"));
        Assert.Equal("{\"after\":true}", Assert.Single(await next.WaitAsync(NoHang)).Field(StreamFields.Data));
        Assert.Equal("1", killed.Trim());
    }

    private async Task<long> BlockedClientsAsync()
    {
        // INFO is an admin command to the library; redis-cli, the reference client, asks instead.
        var info = (await _server.CliAsync("INFO", "clients")).Stdout;
        var line = info.Split('\n', StringSplitOptions.TrimEntries).Single(l => l.StartsWith("blocked_clients:", StringComparison.Ordinal));
        return long.Parse(line["blocked_clients:".Length..], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Polls a condition (never a fixed sleep), failing after <see cref="NoHang"/>.</summary>
    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (true)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is RedisConnectionException or RedisTimeoutException)
            {
                // Redis is down for now: ask again.
            }

            Assert.True(TimeProvider.System.GetElapsedTime(started) < NoHang, "condition not reached within " + NoHang);
            await Task.Delay(20);
        }
    }
}
