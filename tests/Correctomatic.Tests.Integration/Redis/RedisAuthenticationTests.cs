using Correctomatic.Shared.Redis;
using Correctomatic.Tests.Integration.Infrastructure;

namespace Correctomatic.Tests.Integration.Redis;

/// <summary>AUTH (password, ACL user), SELECT and CLIENT SETNAME against a redis-server with requirepass and an ACL user.</summary>
public sealed class RedisAuthenticationTests : IAsyncLifetime
{
    private const string Password = "right-horse-battery";
    private RedisServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await RedisServer.StartAsync(tcp: true, "--requirepass", Password, "--user", "app", "on", ">app-secret", "~*", "&*", "+@all");

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static RedisClient CreateSut(string url) => new(new RedisClientOptions
    {
        Endpoint = RedisEndpoint.Parse(url),
        ClientName = "auth-test",
        ReconnectTimeout = TimeSpan.FromSeconds(10),
    });

    [Fact]
    public async Task ExecuteAsync_WrongPassword_FailsAtOnceWithClearNonTransientError()
    {
        await using var client = CreateSut($"redis://:not-the-password@127.0.0.1:{_server.Port}");
        var started = TimeProvider.System.GetTimestamp();

        var ex = await Assert.ThrowsAsync<RedisConnectionException>(() => client.ExecuteAsync("PING"));

        Assert.False(ex.IsTransient);
        Assert.Contains("rejected the credentials (AUTH)", ex.Message, StringComparison.Ordinal);
        Assert.Contains("WRONGPASS", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-password", ex.Message, StringComparison.Ordinal);
        Assert.True(TimeProvider.System.GetElapsedTime(started) < TimeSpan.FromSeconds(5), "a wrong password is not retried for REDIS_RECONNECT_TIMEOUT (10 s)");
    }

    [Fact]
    public async Task ExecuteAsync_NoPasswordAgainstRequirepass_ThrowsServerErrorNoAuth()
    {
        await using var client = CreateSut($"redis://127.0.0.1:{_server.Port}");
        var ex = await Assert.ThrowsAsync<RedisConnectionException>(() => client.ExecuteAsync("PING"));
        Assert.Contains("NOAUTH", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_PasswordAndDatabase_AuthenticatesSelectsAndNamesTheConnection()
    {
        await using var client = CreateSut($"redis://:{Password}@127.0.0.1:{_server.Port}/3");

        await client.ExecuteAsync("SET", "where", "db3");

        Assert.Equal("auth-test", (await client.ExecuteAsync("CLIENT", "GETNAME")).AsString());
        var info = (await client.ExecuteAsync("CLIENT", "INFO")).AsString()!;
        Assert.Contains(" db=3 ", info, StringComparison.Ordinal);
        await using var db0 = CreateSut($"redis://:{Password}@127.0.0.1:{_server.Port}/0");
        Assert.True((await db0.ExecuteAsync("GET", "where")).IsNull);
    }

    [Fact]
    public async Task ExecuteAsync_AclUser_AuthenticatesAsThatUser()
    {
        await using var client = CreateSut($"redis://app:app-secret@127.0.0.1:{_server.Port}");
        Assert.Equal("app", (await client.ExecuteAsync("ACL", "WHOAMI")).AsString());
    }

    [Fact]
    public async Task ExecuteAsync_AclUserWrongPassword_FailsWithWrongPass()
    {
        await using var client = CreateSut($"redis://app:nope@127.0.0.1:{_server.Port}");
        var ex = await Assert.ThrowsAsync<RedisConnectionException>(() => client.ExecuteAsync("PING"));
        Assert.Contains("WRONGPASS", ex.Message, StringComparison.Ordinal);
    }
}
