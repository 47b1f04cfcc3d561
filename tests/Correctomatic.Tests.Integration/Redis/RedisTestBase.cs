using Correctomatic.Shared.Redis;

namespace Correctomatic.Tests.Integration.Redis;

/// <summary>A database of its own on the shared Redis container and connections to it, per test class instance.</summary>
public abstract class RedisTestBase : IAsyncLifetime
{
    protected RedisServer Server { get; private set; } = null!;

    protected RedisConnections Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await RedisServer.StartAsync();
        Client = TestRedis.Connect(Server.UnixUrl, GetType().Name);
    }

    public async Task DisposeAsync()
    {
        await Client.DisposeAsync();
        await Server.DisposeAsync();
    }
}
