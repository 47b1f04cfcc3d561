using System.Net.Sockets;
using System.Text;
using Correctomatic.Shared.Redis;

namespace Correctomatic.Tests.Integration.Redis;

/// <summary>
/// A fake server on a unix socket that answers the login, then misbehaves: garbage, an oversized bulk, or silence.
/// The command fails with a clear RedisConnectionException; nothing hangs and the process carries on.
/// </summary>
public sealed class RedisProtocolViolationTests : IAsyncDisposable
{
    private readonly string _socketPath = Path.Combine(Path.GetTempPath(), "ct-fake-redis-" + Guid.NewGuid().ToString("N")[..8] + ".sock");
    private readonly Socket _listener = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
    private readonly CancellationTokenSource _stop = new();

    public ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Dispose();
        File.Delete(_socketPath);
        _stop.Dispose();
        return ValueTask.CompletedTask;
    }

    [Theory]
    [InlineData("!oops\r\n", "unexpected type byte 0x21")]
    [InlineData("$999999999\r\n", "exceeds the cap of 1048576 bytes")]
    [InlineData(":12a\r\n", "is not a number")]
    public async Task ExecuteAsync_ServerSendsInvalidReply_FailsWithProtocolViolationAndClosesConnection(string reply, string expected)
    {
        var served = Serve(reply);
        await using var client = CreateSut(TimeSpan.FromSeconds(10));

        var ex = await Assert.ThrowsAsync<RedisConnectionException>(() => client.ExecuteAsync("GET", "k").WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.Contains("protocol violation", ex.Message, StringComparison.Ordinal);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.True(await served.WaitAsync(TimeSpan.FromSeconds(10)), "the client closed the connection");
    }

    [Fact]
    public async Task ExecuteAsync_ServerSendsUnsolicitedReply_ClosesTheConnection()
    {
        var served = Serve("+OK\r\n+SURPRISE\r\n");
        await using var client = CreateSut(TimeSpan.FromSeconds(10));

        Assert.Equal("OK", (await client.ExecuteAsync("GET", "k").WaitAsync(TimeSpan.FromSeconds(10))).AsString());

        Assert.True(await served.WaitAsync(TimeSpan.FromSeconds(10)), "the client closed the connection on a reply nobody asked for");
    }

    [Fact]
    public async Task ExecuteAsync_ServerNeverAnswers_FailsAfterCommandTimeout()
    {
        var served = Serve(reply: null);
        await using var client = CreateSut(TimeSpan.FromMilliseconds(500));

        var ex = await Assert.ThrowsAsync<RedisConnectionException>(() => client.ExecuteAsync("GET", "k").WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.Contains("did not answer GET within 0.5 s", ex.Message, StringComparison.Ordinal);
        Assert.True(await served.WaitAsync(TimeSpan.FromSeconds(10)), "the client closed the connection");
    }

    private RedisClient CreateSut(TimeSpan commandTimeout) => new(new RedisClientOptions
    {
        Endpoint = RedisEndpoint.Parse("unix://" + _socketPath),
        ClientName = "fake-test",
        CommandTimeout = commandTimeout,
        ReconnectTimeout = TimeSpan.Zero,
        MaxBulkBytes = 1024 * 1024,
    });

    /// <summary>Accepts one client, answers its CLIENT SETNAME, then sends <paramref name="reply"/> to the next command. True when the client hung up.</summary>
    private async Task<bool> Serve(string? reply)
    {
        _listener.Bind(new UnixDomainSocketEndPoint(_socketPath));
        _listener.Listen();
        return await Task.Run(async () =>
        {
            using var client = await _listener.AcceptAsync(_stop.Token);
            var buffer = new byte[4096];
            await client.ReceiveAsync(buffer, _stop.Token);
            await client.SendAsync("+OK\r\n"u8.ToArray(), _stop.Token);
            await client.ReceiveAsync(buffer, _stop.Token);
            if (reply is not null)
            {
                await client.SendAsync(Encoding.ASCII.GetBytes(reply), _stop.Token);
            }

            while (await client.ReceiveAsync(buffer, _stop.Token) > 0)
            {
            }

            return true;
        });
    }
}
