using Correctomatic.Tests.Integration.Infrastructure;

namespace Correctomatic.Tests.Integration.Starter;

/// <summary>One private redis-server and one submissions directory for a test class; each test uses its own queue prefix.</summary>
public sealed class StarterFixture : IAsyncLifetime
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
        Redis = await RedisServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await Redis.DisposeAsync();
        Directory.Delete(SubmissionsDir, recursive: true);
    }
}
