using Correctomatic.Shared.Configuration;
using Correctomatic.Shared.Redis;
using StackExchange.Redis;

namespace Correctomatic.Tests.Integration.Redis;

/// <summary>Password and ACL user from REDIS_URL, and the database, against a Redis with requirepass and an ACL user.</summary>
public sealed class RedisAuthenticationTests : IAsyncLifetime
{
    private const string Password = "right-horse-battery";
    private RedisServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await RedisServer.StartAsync(tcp: true, "--requirepass", Password, "--user", "app", "on", ">app-secret", "~*", "&*", "+@all");

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static RedisConnections CreateSut(string url) => new(new RedisClientOptions
    {
        Endpoint = RedisEndpoint.Parse(url),
        ClientName = "auth-test",
        ConnectTimeout = TimeSpan.FromSeconds(2),
        CommandTimeout = TimeSpan.FromSeconds(2),
    });

    [Theory]
    [InlineData("redis://:not-the-password@127.0.0.1:{0}")]
    [InlineData("redis://app:nope@127.0.0.1:{0}")]
    [InlineData("redis://127.0.0.1:{0}")]
    public async Task Command_WrongOrMissingCredentials_FailsWithConnectionErrorNotShowingThePassword(string url)
    {
        await using var client = CreateSut(string.Format(System.Globalization.CultureInfo.InvariantCulture, url, _server.Port));

        var ex = await Assert.ThrowsAnyAsync<Exception>(() => client.ExecuteAsync("PING").WaitAsync(TimeSpan.FromSeconds(15)));

        Assert.True(ex is RedisConnectionException or RedisTimeoutException or RedisServerException, ex.GetType().Name);
        Assert.DoesNotContain("not-the-password", ex.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("nope", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Command_PasswordAndDatabase_AuthenticatesSelectsAndNamesTheConnection()
    {
        await using var client = CreateSut($"redis://:{Password}@127.0.0.1:{_server.Port}/3");

        await client.Database.StringSetAsync("where", "db3");

        Assert.Equal("auth-test", (await client.ExecuteAsync("CLIENT", "GETNAME")).AsString());
        await using var db0 = CreateSut($"redis://:{Password}@127.0.0.1:{_server.Port}/0");
        Assert.True((await db0.Database.StringGetAsync("where")).IsNull);
        Assert.Equal("db3", (await client.Database.StringGetAsync("where")).ToString());
    }

    [Fact]
    public async Task Command_AclUser_AuthenticatesAsThatUser()
    {
        await using var client = CreateSut($"redis://app:app-secret@127.0.0.1:{_server.Port}");
        Assert.Equal("app", (await client.ExecuteAsync("ACL", "WHOAMI")).AsString());
    }
}
