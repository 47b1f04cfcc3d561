using Correctomatic.Shared.Redis;

namespace Correctomatic.Tests.Integration.Redis;

public sealed class RedisClientTests : RedisTestBase
{
    [Fact]
    public async Task ExecuteAsync_SetThenGet_ReturnsTheValue()
    {
        Assert.Equal("OK", (await Client.ExecuteAsync("SET", "k", "värde")).AsString());
        Assert.Equal("värde", (await Client.ExecuteAsync("GET", "k")).AsString());
        Assert.True((await Client.ExecuteAsync("GET", "missing")).IsNull);
    }

    [Fact]
    public async Task ExecuteAsync_ServerError_ThrowsRedisServerExceptionWithTheMessage()
    {
        await Client.ExecuteAsync("SET", "str", "x");
        var ex = await Assert.ThrowsAsync<RedisServerException>(() => Client.ExecuteAsync("XLEN", "str"));
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
                var set = Client.ExecuteAsync("SET", key, $"v{t}-{i}");
                var get = Client.ExecuteAsync("GET", key);
                var echo = Client.ExecuteAsync("ECHO", $"e{t}-{i}");
                Assert.Equal("OK", (await set).AsString());
                Assert.Equal($"v{t}-{i}", (await get).AsString());
                Assert.Equal($"e{t}-{i}", (await echo).AsString());
            }
        }));
        await Task.WhenAll(tasks);
        Assert.Equal(1000, (await Client.ExecuteAsync("DBSIZE")).AsInt64());
    }

    [Fact]
    public async Task ExecuteAsync_FiftyTasksTwentyCommandsInFlightEach_EveryReplyMatchesItsCommand()
    {
        var tasks = Enumerable.Range(0, 50).Select(t => Task.Run(async () =>
        {
            // All 20 commands of a task are in flight at once, interleaved with the other 49 tasks' on one connection.
            var echoes = Enumerable.Range(0, 20).Select(i => Client.ExecuteAsync("ECHO", $"task{t}-cmd{i}-{new string('x', (t * i) % 97)}")).ToArray();
            var replies = await Task.WhenAll(echoes);
            for (var i = 0; i < 20; i++)
            {
                Assert.Equal($"task{t}-cmd{i}-{new string('x', (t * i) % 97)}", replies[i].AsString());
            }

            return replies.Length;
        }));

        Assert.Equal(1000, (await Task.WhenAll(tasks)).Sum());
    }
}
