using Correctomatic.Shared.Clocks;
using Correctomatic.Shared.Contracts;
using Correctomatic.Shared.Docker;
using Correctomatic.Shared.Redis;
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
        StarterSettings settings, StreamQueueOptions queueOptions, RedisConnections redis, IDockerClient docker, string dockerHostId,
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
        var validator = CreateValidator(settings, timeProvider);
        var launcher = CreateLauncher(settings, docker, dockerHostId, timeProvider, loggers, hooks);
        return new JobProcessor(queue, settings.Common.Streams, validator, launcher, dockerHostId, timeProvider, loggers.CreateLogger<JobProcessor>());
    }

    /// <summary>The starter's validation, also used by the CLI's <c>try</c> so a grader author gets the same verdict.</summary>
    public static JobValidator CreateValidator(StarterSettings settings, TimeProvider timeProvider) =>
        new(EntryReader.Default, new ImageAllowlist(settings.AllowedImages), settings.Limits,
            new SubmissionFiles(settings.SubmissionsDir, settings.MaxFileBytes), JobTokenVerifier.FromSettings(settings, timeProvider),
            settings.RefusedParams);

    /// <summary>The starter's sandboxed container launch, also used by the CLI's <c>try</c>.</summary>
    public static ContainerLauncher CreateLauncher(
        StarterSettings settings, IDockerClient docker, string dockerHostId, TimeProvider timeProvider, ILoggerFactory loggers, StarterHooks? hooks = null) =>
        new(docker, new ContainerSpecFactory(settings.Common.QueuePrefix, dockerHostId, settings.Sandbox), settings,
            timeProvider as EngineClock ?? new EngineClock(timeProvider, docker), loggers.CreateLogger<ContainerLauncher>(), hooks);

    public static StreamQueueOptions DefaultQueueOptions(StarterSettings settings) => new()
    {
        Stream = settings.Common.Streams.Pending,
        Group = ConsumerGroups.Starter,
        DeadStream = settings.Common.Streams.Dead,
    };
}
