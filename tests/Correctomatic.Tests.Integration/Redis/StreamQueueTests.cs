using Correctomatic.Shared.Contracts;
using Correctomatic.Shared.Redis;
using Correctomatic.Tests.Integration.Infrastructure;

namespace Correctomatic.Tests.Integration.Redis;

public sealed class StreamQueueTests : IAsyncLifetime
{
    private RedisServer _server = null!;
    private RedisClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await RedisServer.StartAsync();
        _client = RedisClient.FromUrl(_server.UnixUrl, "test");
    }

    public async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        await _server.DisposeAsync();
    }

    private StreamQueue CreateSut(string consumer = "c1", int maxDeliveries = 3) => new(_client, new StreamQueueOptions
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
        var id = await _client.XAddAsync("q:pending", Data("{\"n\":1}"));

        var read = await queue.ReadAsync(10, TimeSpan.FromSeconds(1));
        var entry = Assert.Single(read);
        Assert.Equal(id, entry.Id);
        Assert.Equal("{\"n\":1}", entry.Field(StreamFields.Data));

        var nextId = await queue.HandOffAsync(entry.Id, "q:running", Data("{\"n\":2}"));

        var running = Assert.Single(await _client.XRangeAsync("q:running"));
        Assert.Equal(nextId, running.Id);
        Assert.Equal("{\"n\":2}", running.Field(StreamFields.Data));
        Assert.Equal(0, (await _client.ExecuteAsync("XPENDING", "q:pending", "starter"))[0].AsInt64());
        Assert.Equal(1, await _client.XLenAsync("q:pending")); // acknowledged, not deleted
    }
}
