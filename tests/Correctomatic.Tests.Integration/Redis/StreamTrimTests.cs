using Correctomatic.Tests.Integration.Infrastructure;
using Correctomatic.Shared.Contracts;
using Correctomatic.Shared.Redis;
using Microsoft.Extensions.Time.Testing;

namespace Correctomatic.Tests.Integration.Redis;

/// <summary>Retention (issue #3): streams stay bounded, and no entry a consumer group still needs is ever trimmed.</summary>
public sealed class StreamTrimTests : RedisTestBase
{
    private const string Running = "t:running";

    private StreamQueue CreateSut(string group, StreamRetention retention, TimeProvider? clock = null) => new(Client, new StreamQueueOptions
    {
        Stream = Running,
        Group = group,
        Consumer = group + "-1",
        DeadStream = "t:dead",
        Retention = retention,
    }, clock);

    [Fact]
    public async Task TrimAsync_TwoGroupsOneBehind_KeepsEveryEntryTheSlowGroupNeeds()
    {
        var retention = new StreamRetention { MaxLength = 5, MaxAge = TimeSpan.FromDays(1) };
        var fast = CreateSut(ConsumerGroups.Completer("host-a"), retention);
        var slow = CreateSut(ConsumerGroups.Completer("host-b"), retention);
        await fast.EnsureGroupAsync();
        await slow.EnsureGroupAsync();
        var ids = new List<string>();
        for (var i = 0; i < 50; i++)
        {
            ids.Add(await Client.XAddAsync(Running, [new(StreamFields.Data, $"{{\"n\":{i}}}")]));
        }

        foreach (var entry in await fast.ReadAsync(50, TimeSpan.FromMilliseconds(100)))
        {
            await fast.AcknowledgeAsync(entry.Id);
        }

        var slowRead = await slow.ReadAsync(20, TimeSpan.FromMilliseconds(100));
        foreach (var entry in slowRead.Take(10))
        {
            await slow.AcknowledgeAsync(entry.Id);
        }

        // Entries 0-9: acknowledged by both. 10-19: pending in the slow group. 20-49: not yet read by it.
        Assert.Equal(10, await fast.TrimAsync());
        var left = await Client.XRangeAsync(Running);
        Assert.Equal(ids[10..], left.Select(e => e.Id));
        Assert.Equal(0, await fast.TrimAsync());

        foreach (var entry in slowRead.Skip(10).Concat(await slow.ReadAsync(100, TimeSpan.FromMilliseconds(100))))
        {
            await slow.AcknowledgeAsync(entry.Id);
        }

        Assert.Equal(35, await slow.TrimAsync());
        Assert.Equal(ids[45..], (await Client.XRangeAsync(Running)).Select(e => e.Id));
    }

    [Fact]
    public async Task TrimAsync_AcknowledgedEntriesOlderThanMaxAge_AreRemovedUnacknowledgedStay()
    {
        var clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        var queue = CreateSut("g", new StreamRetention { MaxLength = 1000, MaxAge = TimeSpan.FromHours(1) }, clock);
        await queue.EnsureGroupAsync();
        for (var i = 0; i < 6; i++)
        {
            await Client.XAddAsync(Running, [new(StreamFields.Data, "{}")]);
        }

        var read = await queue.ReadAsync(4, TimeSpan.FromMilliseconds(100));
        await queue.AcknowledgeAsync(read[0].Id);
        await queue.AcknowledgeAsync(read[1].Id);
        Assert.Equal(0, await queue.TrimAsync()); // young: kept

        clock.Advance(TimeSpan.FromHours(2));

        Assert.Equal(2, await queue.TrimAsync()); // old and acknowledged: gone; pending and unread: kept
        Assert.Equal(4, await Client.XLenAsync(Running));
    }

    [Fact]
    public async Task ReclaimAsync_ProducerAndConsumerRunning_StreamStaysBounded()
    {
        // A manual clock moved past TrimInterval each round: every ReclaimAsync is due to trim, however fast the round
        // ran (with a real clock and a 1 ms interval, a round under 1 ms skipped its trim and the stream grew to 30).
        var clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        var retention = new StreamRetention { MaxLength = 20, MaxAge = TimeSpan.FromDays(1), TrimInterval = TimeSpan.FromSeconds(1) };
        var queue = CreateSut("g", retention, clock);
        await queue.EnsureGroupAsync();
        var maxSeen = 0L;
        for (var round = 0; round < 20; round++)
        {
            clock.Advance(retention.TrimInterval);
            for (var i = 0; i < 10; i++)
            {
                await Client.XAddAsync(Running, [new(StreamFields.Data, "{}")]);
            }

            foreach (var entry in await queue.ReadAsync(10, TimeSpan.FromMilliseconds(100)))
            {
                await queue.HandOffOwnedAsync(entry.Id, "t:finished", [new(StreamFields.Data, "{}")]);
            }

            await queue.ReclaimAsync(TimeSpan.FromMinutes(1), 10); // trims (interval elapsed)
            maxSeen = Math.Max(maxSeen, await Client.XLenAsync(Running));
        }

        Assert.True(maxSeen <= 20, $"stream grew to {maxSeen} entries with MaxLength 20");
        Assert.Equal(200, await Client.XLenAsync("t:finished")); // nothing lost on the way
    }

    [Fact]
    public async Task TrimAsync_DeadStreamWithoutGroups_IsTrimmedByPolicy()
    {
        var queue = CreateSut("g", new StreamRetention { MaxLength = 3 });
        await queue.EnsureGroupAsync();
        for (var i = 0; i < 10; i++)
        {
            await Client.XAddAsync("t:dead", [new(StreamFields.Data, "{}")]);
        }

        await queue.TrimAsync();

        Assert.Equal(3, await Client.XLenAsync("t:dead"));
    }
}
