using Correctomatic.Tests.Integration.Infrastructure;

namespace Correctomatic.Tests.Integration.Starter;

/// <summary>One private redis-server and one submissions directory for a test class; each test uses its own queue prefix.</summary>
public class StarterFixture : IAsyncLifetime
{
    public RedisServer Redis { get; private set; } = null!;

    public string SubmissionsDir { get; } = Directory.CreateTempSubdirectory("ct-starter-subs-").FullName;

    /// <summary>Unique to this test run: every prefix (and so every container's managed label) starts with it.</summary>
    public string RunId { get; } = "ctst" + Guid.NewGuid().ToString("N")[..8];

    private int _next;

    public string NextPrefix() => $"{RunId}-{Interlocked.Increment(ref _next)}:";

    public async Task InitializeAsync()
    {
        await DockerEngine.RequireAsync();
        Redis = await StartRedisAsync();
    }

    /// <summary>A database of its own on the shared Redis container.</summary>
    protected virtual Task<RedisServer> StartRedisAsync() => RedisServer.StartAsync();

    public async Task DisposeAsync()
    {
        await Redis.DisposeAsync();
        Directory.Delete(SubmissionsDir, recursive: true);
    }
}

/// <summary>As <see cref="StarterFixture"/>, with a redis-server container of its own: for tests that change the server (its ACL), which the shared container's other databases must not feel.</summary>
public sealed class StarterOwnRedisFixture : StarterFixture
{
    protected override Task<RedisServer> StartRedisAsync() => RedisServer.StartAsync(tcp: false);
}
