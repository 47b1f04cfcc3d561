using Correctomatic.Shared.Contracts;
using Correctomatic.Shared.Docker;
using Correctomatic.Shared.Redis;
using Correctomatic.Shared.Schemas;
using Microsoft.Extensions.Logging;

namespace Correctomatic.Starter;

/// <summary>
/// Builds the starter's object graph from its settings and the two clients; used by <see cref="StarterServiceExtensions"/>
/// and by tests, so both run the same wiring.
/// </summary>
public static class StarterComposition
{
    /// <summary>The Docker host id: DOCKER_HOST_ID, else the engine's own ID (docker info), so each engine's completers find their jobs.</summary>
    public static async Task<string> ResolveDockerHostIdAsync(StarterSettings settings, IDockerClient docker, CancellationToken cancellationToken = default) =>
        settings.DockerHostId ?? (await docker.GetInfoAsync(cancellationToken)).Id;

    public static StarterWorker CreateWorker(
        StarterSettings settings, StreamQueueOptions queueOptions, IRedisClient redis, IDockerClient docker, string dockerHostId,
        TimeProvider timeProvider, ILoggerFactory loggers, StarterHooks? hooks = null) =>
        CreateWorker(settings, new StreamQueue(redis, queueOptions, timeProvider, loggers.CreateLogger<StreamQueue>()), docker, dockerHostId,
            timeProvider, loggers, hooks);

    public static StarterWorker CreateWorker(
        StarterSettings settings, IStreamQueue queue, IDockerClient docker, string dockerHostId, TimeProvider timeProvider, ILoggerFactory loggers,
        StarterHooks? hooks = null)
    {
        var processor = CreateProcessor(settings, queue, docker, dockerHostId, timeProvider, loggers, hooks);
        return new StarterWorker(queue, processor, docker, settings, dockerHostId, timeProvider, loggers.CreateLogger<StarterWorker>());
    }

    public static JobProcessor CreateProcessor(
        StarterSettings settings, IStreamQueue queue, IDockerClient docker, string dockerHostId, TimeProvider timeProvider, ILoggerFactory loggers,
        StarterHooks? hooks = null)
    {
        var validator = new JobValidator(
            SchemaCatalog.Default,
            new ImageAllowlist(settings.AllowedImages),
            settings.Limits,
            new SubmissionFiles(settings.SubmissionsDir, settings.MaxFileBytes),
            JobTokenVerifier.FromSettings(settings, timeProvider));
        var specs = new ContainerSpecFactory(settings.Common.QueuePrefix, dockerHostId, settings.Sandbox);
        var launcher = new ContainerLauncher(docker, specs, settings, timeProvider, loggers.CreateLogger<ContainerLauncher>(), hooks);
        return new JobProcessor(queue, settings.Common.Streams, validator, launcher, dockerHostId, timeProvider, loggers.CreateLogger<JobProcessor>());
    }

    public static StreamQueueOptions DefaultQueueOptions(StarterSettings settings) => new()
    {
        Stream = settings.Common.Streams.Pending,
        Group = ConsumerGroups.Starter,
        DeadStream = settings.Common.Streams.Dead,
    };
}
