using Correctomatic.Shared.Contracts;
using Correctomatic.Shared.Docker;
using Correctomatic.Shared.Redis;
using Correctomatic.Tests.Integration.Infrastructure;

namespace Correctomatic.Tests.Integration.Cli;

/// <summary>
/// A deployment's state, placed by hand with the code the stages use, for the CLI commands that read it (<c>status</c>,
/// <c>top</c>): a private redis-server, a queue prefix and Docker host id of its own, the real engine. Dispose removes
/// the containers of its prefix (never a broad removal on the shared engine) and stops Redis.
/// </summary>
public sealed class StagedDeployment : IAsyncDisposable
{
    private StagedDeployment(string kind, RedisServer server)
    {
        Prefix = $"{kind}-{Guid.NewGuid():N}"[..16] + ":";
        DockerHostId = $"{kind}-{Guid.NewGuid():N}"[..16];
        Server = server;
        Redis = TestRedis.Connect(server.UnixUrl);
        Docker = DockerClient.Create(DockerEngine.Host);
    }

    public string Prefix { get; }
    public string DockerHostId { get; }
    public StreamNames Streams => new(Prefix);
    public RedisServer Server { get; }
    public RedisConnections Redis { get; }
    public IDockerClient Docker { get; }

    /// <summary>The settings the CLI runs with to see this deployment.</summary>
    public Dictionary<string, string> Settings => new()
    {
        ["REDIS_URL"] = Server.UnixUrl, ["QUEUE_PREFIX"] = Prefix, ["DOCKER_HOST"] = DockerEngine.Host, ["CORRECTOMATIC_ENV_FILE"] = "/nonexistent/.env",
    };

    public static async Task<StagedDeployment> StartAsync(string kind)
    {
        await DockerEngine.RequireAsync();
        return new StagedDeployment(kind, await RedisServer.StartAsync());
    }

    /// <summary>A stage's consumer of <paramref name="stream"/> in <paramref name="group"/>, as the services make it.</summary>
    public StreamQueue Queue(string stream, string group, string consumer) =>
        new(Redis, new StreamQueueOptions { Stream = stream, Group = group, Consumer = consumer, DeadStream = Streams.Dead });

    /// <summary>A sleeping container with the labels the starter puts on <paramref name="jobId"/>'s container; returns its id.</summary>
    public async Task<string> StartContainerAsync(string jobId)
    {
        var id = await Docker.CreateContainerAsync(new ContainerSpec
        {
            Image = DockerEngine.BusyboxImage,
            Name = ContainerLabels.ContainerName(Prefix, jobId),
            Labels = new Dictionary<string, string>
            {
                [ContainerLabels.Managed] = Prefix, [ContainerLabels.JobId] = jobId, [ContainerLabels.DockerHost] = DockerHostId,
                [ContainerLabels.Deadline] = ContainerLabels.FormatDeadline(DateTimeOffset.UtcNow.AddMinutes(2)),
            },
            Cmd = ["sh", "-c", "sleep 120"],
            HostConfig = new ContainerHostConfig { MemoryBytes = 64 << 20, PidsLimit = 16 },
        });
        await Docker.StartContainerAsync(id);
        return id;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var container in await Docker.ListContainersAsync([ContainerLabels.ManagedFilter(Prefix)]))
        {
            await Docker.RemoveContainerAsync(container.Id, force: true);
        }

        Docker.Dispose();
        await Redis.DisposeAsync();
        await Server.DisposeAsync();
    }
}
