using Correctomatic.Tests.Integration.Infrastructure;
using Correctomatic.Shared.Contracts;
using Correctomatic.Shared.Redis;

namespace Correctomatic.Tests.Integration.Redis;

public sealed class StreamQueueTests : RedisTestBase
{
    private StreamQueue CreateSut(string consumer = "c1", int maxDeliveries = 3) => new(Client, new StreamQueueOptions
    {
        Stream = "q:pending",
        Group = "starter",
        Consumer = consumer,
        DeadStream = "q:dead",
        MaxDeliveries = maxDeliveries,
    });

    private static KeyValuePair<string, string>[] Data(string json) => [new(StreamFields.Data, json)];

    [Fact]
    public async Task HandOffAsync_ReadEntry_AddsToNextAndAcknowledges()
    {
        var queue = CreateSut();
        await queue.EnsureGroupAsync();
        var id = await Client.XAddAsync("q:pending", Data("{\"n\":1}"));

        var read = await queue.ReadAsync(10, TimeSpan.FromSeconds(1));
        var entry = Assert.Single(read);
        Assert.Equal(id, entry.Id);
        Assert.Equal("{\"n\":1}", entry.Field(StreamFields.Data));

        var nextId = await queue.HandOffOwnedAsync(entry.Id, "q:running", Data("{\"n\":2}"));

        var running = Assert.Single(await Client.XRangeAsync("q:running"));
        Assert.Equal(nextId, running.Id);
        Assert.Equal("{\"n\":2}", running.Field(StreamFields.Data));
        Assert.Equal(0, (await Client.ExecuteAsync("XPENDING", "q:pending", "starter"))[0].AsInt64());
        Assert.Equal(1, await Client.XLenAsync("q:pending")); // acknowledged, not deleted
    }

    [Fact]
    public async Task ReclaimAsync_ConsumerDiesBetweenReadAndHandOff_EntryIsHandedOffExactlyOnce()
    {
        var dead = CreateSut("dies");
        var live = CreateSut("lives");
        await dead.EnsureGroupAsync();
        var id = await Client.XAddAsync("q:pending", Data("{\"job\":1}"));
        Assert.Single(await dead.ReadAsync(10, TimeSpan.FromMilliseconds(100)));
        // "dies": never hands off. The live consumer finds nothing new, and reclaims the entry once it is idle long enough.
        Assert.Empty(await live.ReadAsync(10, TimeSpan.FromMilliseconds(50)));
        Assert.Empty(await live.ReclaimAsync(TimeSpan.FromSeconds(30), 10));
        await Task.Delay(150);

        var reclaimed = Assert.Single(await live.ReclaimAsync(TimeSpan.FromMilliseconds(100), 10));
        Assert.Equal(id, reclaimed.Id);
        Assert.Equal(2, reclaimed.DeliveryCount);
        Assert.Equal("{\"job\":1}", reclaimed.Field(StreamFields.Data));
        Assert.NotNull(await live.TryHandOffAsync(reclaimed.Id, "q:running", Data("{\"job\":1,\"started\":true}")));

        // The "dead" one was only slow: its late hand-off does nothing, and nothing is left to reclaim.
        Assert.Null(await dead.TryHandOffAsync(id, "q:running", Data("{\"job\":1}")));
        Assert.Empty(await live.ReclaimAsync(TimeSpan.Zero, 10));
        Assert.Empty(await dead.ReclaimAsync(TimeSpan.Zero, 10));
        Assert.Single(await Client.XRangeAsync("q:running"));
        Assert.Equal(0, (await Client.ExecuteAsync("XPENDING", "q:pending", "starter"))[0].AsInt64());
    }

    [Fact]
    public async Task ReclaimAsync_EntryDeliveredMaxTimes_GoesToDeadWithReasonAndOriginalPayload()
    {
        var a = CreateSut("a", maxDeliveries: 3);
        var b = CreateSut("b", maxDeliveries: 3);
        await a.EnsureGroupAsync();
        var id = await Client.XAddAsync("q:pending", [new(StreamFields.Data, "{\"poison\":true}"), new(StreamFields.Token, "t0k")]);
        Assert.Single(await a.ReadAsync(1, TimeSpan.FromMilliseconds(100)));            // delivery 1
        Assert.Equal(2, Assert.Single(await b.ReclaimAsync(TimeSpan.Zero, 10)).DeliveryCount);
        Assert.Equal(3, Assert.Single(await a.ReclaimAsync(TimeSpan.Zero, 10)).DeliveryCount);

        Assert.Empty(await b.ReclaimAsync(TimeSpan.Zero, 10));                          // delivery 4 > 3: dead

        var deadEntry = Assert.Single(await Client.XRangeAsync("q:dead"));
        Assert.Equal("{\"poison\":true}", deadEntry.Field(StreamFields.Data));
        Assert.Equal("t0k", deadEntry.Field(StreamFields.Token));
        Assert.Equal("q:pending", deadEntry.Field(StreamFields.Source));
        Assert.Equal(id, deadEntry.Field(StreamFields.SourceId));
        Assert.Contains("delivered 3 times", deadEntry.Field(StreamFields.Reason), StringComparison.Ordinal);
        Assert.Equal(0, (await Client.ExecuteAsync("XPENDING", "q:pending", "starter"))[0].AsInt64());
    }

    [Fact]
    public async Task RenewOwnedAsync_AfterIdle_KeepsOthersFromReclaimingAndReportsLostEntries()
    {
        var a = CreateSut("a");
        var b = CreateSut("b");
        await a.EnsureGroupAsync();
        await Client.XAddAsync("q:pending", Data("{}"));
        await Client.XAddAsync("q:pending", Data("{}"));
        var read = await a.ReadAsync(10, TimeSpan.FromMilliseconds(100));
        Assert.Equal(2, read.Count);
        // Idle times are the server's clock: both entries idle past min-idle, then one renewed. The margin (min-idle 1 s
        // vs the few commands between renew and reclaim) keeps a loaded machine from reclaiming the renewed one too.
        while ((await Client.ExecuteAsync("XPENDING", "q:pending", "starter", "-", "+", "10")).AsArray().Any(e => e[2].AsInt64() < 1000))
        {
            await Task.Delay(50); // polling the server's idle times, not sleeping a fixed time
        }

        await a.RenewOwnedAsync([read[0].Id]);
        var taken = Assert.Single(await b.ReclaimAsync(TimeSpan.FromSeconds(1), 10));

        Assert.Equal(read[1].Id, taken.Id);
        Assert.Equal([read[0].Id], await a.RenewOwnedAsync([read[0].Id, read[1].Id]));
        var pending = await Client.ExecuteAsync("XPENDING", "q:pending", "starter", "-", "+", "10");
        Assert.Equal(1, pending[0][3].AsInt64()); // renewing does not count as a delivery
    }

    [Fact]
    public async Task ReadAndReclaim_StreamDeletedMeanwhile_RecreateTheGroupAndRead()
    {
        var queue = CreateSut();
        await queue.EnsureGroupAsync();
        await queue.EnsureGroupAsync(); // idempotent
        await Client.ExecuteAsync("DEL", "q:pending");

        Assert.Empty(await queue.ReadAsync(10, TimeSpan.FromMilliseconds(50)));
        await Client.ExecuteAsync("DEL", "q:pending");
        Assert.Empty(await queue.ReclaimAsync(TimeSpan.Zero, 10));
        await Client.XAddAsync("q:pending", Data("{}"));
        Assert.Single(await queue.ReadAsync(10, TimeSpan.Zero));
    }

    [Fact]
    public async Task ReadAsync_Cancelled_ReturnsPromptly()
    {
        var queue = CreateSut();
        await queue.EnsureGroupAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => queue.ReadAsync(10, TimeSpan.FromSeconds(30), cts.Token).WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task DeadLetterAsync_ByTheStage_MovesEntryWithReason()
    {
        var queue = CreateSut();
        await queue.EnsureGroupAsync();
        await Client.XAddAsync("q:pending", Data("{\"image\":\"evil\"}"));
        var entry = Assert.Single(await queue.ReadAsync(1, TimeSpan.FromMilliseconds(100)));

        await queue.DeadLetterOwnedAsync(entry, "image not allowed");

        var dead = Assert.Single(await Client.XRangeAsync("q:dead"));
        Assert.Equal("image not allowed", dead.Field(StreamFields.Reason));
        Assert.Equal("{\"image\":\"evil\"}", dead.Field(StreamFields.Data));
    }
}

