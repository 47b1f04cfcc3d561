using Correctomatic.Shared.Contracts;
using Correctomatic.Shared.Redis;

namespace Correctomatic.Tests.Integration.Redis;

/// <summary>
/// Entries over QUEUE_MAX_ENTRY_BYTES (issue #15), for every stream (the reader is shared by the three stages): the
/// read and reclaim scripts dead-letter them with the reason, without sending them to the client, and the entries behind
/// them are read as usual.
/// </summary>
public sealed class StreamQueueOversizedTests : RedisTestBase
{
    private const long MaxBytes = 4096;

    private StreamQueue CreateSut(string consumer, long maxBytes = MaxBytes) => new(Client, new StreamQueueOptions
    {
        Stream = "o:running",
        Group = "completer:h",
        Consumer = consumer,
        DeadStream = "o:dead",
        MaxEntryBytes = maxBytes,
    });

    private async Task<(string Big, string Small)> AddBigThenSmallAsync()
    {
        var big = await Client.XAddAsync("o:running", [new(StreamFields.Data, new string('x', (int)MaxBytes + 1)), new(StreamFields.Token, "t")]);
        var small = await Client.XAddAsync("o:running", [new(StreamFields.Data, "{\"n\":1}")]);
        return (big, small);
    }

    [Fact]
    public async Task ReadAsync_OversizedEntryAheadOfAValidOne_DeadLetteredWithReasonAndTheValidOneRead()
    {
        var queue = CreateSut("c1");
        await queue.EnsureGroupAsync();
        var (big, small) = await AddBigThenSmallAsync();

        var read = await queue.ReadAsync(10, TimeSpan.FromSeconds(1));

        Assert.Equal(small, Assert.Single(read).Id);
        await AssertDeadLetteredAsync(big);
    }

    [Fact]
    public async Task ReadAsync_OversizedEntryArrivesWhileBlocked_DeadLetteredAndTheNextReadGetsTheValidOne()
    {
        var queue = CreateSut("c1");
        await queue.EnsureGroupAsync();
        var reading = queue.ReadAsync(1, TimeSpan.FromSeconds(5));
        var (big, small) = await AddBigThenSmallAsync();

        var first = await reading;
        var read = first.Count > 0 ? first : await queue.ReadAsync(1, TimeSpan.FromSeconds(1));

        Assert.Equal(small, Assert.Single(read).Id);
        await AssertDeadLetteredAsync(big);
    }

    [Fact]
    public async Task ReclaimAsync_OversizedEntryPendingInADeadConsumer_DeadLetteredAndTheValidOneReclaimed()
    {
        var dead = CreateSut("dead", maxBytes: 1024 * 1024);
        await dead.EnsureGroupAsync();
        var (big, small) = await AddBigThenSmallAsync();
        Assert.Equal(2, (await dead.ReadAsync(10, TimeSpan.Zero)).Count); // delivered to a consumer that then dies

        var reclaimed = await CreateSut("live").ReclaimAsync(TimeSpan.Zero, 10);

        Assert.Equal(small, Assert.Single(reclaimed).Id);
        await AssertDeadLetteredAsync(big);
    }

    private async Task AssertDeadLetteredAsync(string id)
    {
        var dead = Assert.Single(await Client.XRangeAsync("o:dead"));
        Assert.Equal(id, dead.Field(StreamFields.SourceId));
        Assert.Equal("o:running", dead.Field(StreamFields.Source));
        Assert.Contains($"over QUEUE_MAX_ENTRY_BYTES={MaxBytes}", dead.Field(StreamFields.Reason), StringComparison.Ordinal);
        Assert.Contains("fields: data, token", dead.Field(StreamFields.Reason), StringComparison.Ordinal);
        Assert.Null(dead.Field(StreamFields.Data)); // not carried: the dead stream's readers must not choke on it either
        Assert.Empty((await Client.ExecuteAsync("XPENDING", "o:running", "completer:h", id, id, "1")).AsArray()); // acknowledged
    }
}
