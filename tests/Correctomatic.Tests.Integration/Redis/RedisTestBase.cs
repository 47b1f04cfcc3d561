using Correctomatic.Shared.Redis;
using Correctomatic.Tests.Integration.Infrastructure;

namespace Correctomatic.Tests.Integration.Redis;

/// <summary>A private redis-server on a unix socket and our client connected to it, per test class instance.</summary>
public abstract class RedisTestBase : IAsyncLifetime
{
    protected RedisServer Server { get; private set; } = null!;

    protected RedisClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await RedisServer.StartAsync();
        Client = RedisClient.FromUrl(Server.UnixUrl, GetType().Name);
    }

    public async Task DisposeAsync()
    {
        await Client.DisposeAsync();
        await Server.DisposeAsync();
    }
}
