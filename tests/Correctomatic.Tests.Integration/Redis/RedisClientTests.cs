using Correctomatic.Shared.Redis;
using Correctomatic.Tests.Integration.Infrastructure;

namespace Correctomatic.Tests.Integration.Redis;

public sealed class RedisClientTests : IAsyncLifetime
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

    [Fact]
    public async Task ExecuteAsync_SetThenGet_ReturnsTheValue()
    {
        Assert.Equal("OK", (await _client.ExecuteAsync("SET", "k", "värde")).AsString());
        Assert.Equal("värde", (await _client.ExecuteAsync("GET", "k")).AsString());
        Assert.True((await _client.ExecuteAsync("GET", "missing")).IsNull);
    }

    [Fact]
    public async Task ExecuteAsync_ServerError_ThrowsRedisServerExceptionWithTheMessage()
    {
        await _client.ExecuteAsync("SET", "str", "x");
        var ex = await Assert.ThrowsAsync<RedisServerException>(() => _client.ExecuteAsync("XLEN", "str"));
        Assert.Equal("WRONGTYPE", ex.Prefix);
        Assert.Contains("WRONGTYPE Operation against a key holding the wrong kind of value", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_ThousandCommandsFromFiftyTasks_EachGetsItsOwnAnswer()
    {
        var tasks = Enumerable.Range(0, 50).Select(t => Task.Run(async () =>
        {
            for (var i = 0; i < 20; i++)
            {
                var key = $"t{t}:{i}";
                var set = _client.ExecuteAsync("SET", key, $"v{t}-{i}");
                var get = _client.ExecuteAsync("GET", key);
                var echo = _client.ExecuteAsync("ECHO", $"e{t}-{i}");
                Assert.Equal("OK", (await set).AsString());
                Assert.Equal($"v{t}-{i}", (await get).AsString());
                Assert.Equal($"e{t}-{i}", (await echo).AsString());
            }
        }));
        await Task.WhenAll(tasks);
        Assert.Equal(1000, (await _client.ExecuteAsync("DBSIZE")).AsInt64());
    }
}
