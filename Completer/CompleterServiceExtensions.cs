using Correctomatic.Shared.Configuration;
using Correctomatic.Shared.Docker;
using Correctomatic.Shared.Hosting;
using Correctomatic.Shared.Redis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Correctomatic.Completer;

/// <summary>The completer's wiring (STYLE habit 1): settings read and checked at start, one Redis and one Docker client, the worker.</summary>
public static class CompleterServiceExtensions
{
    public static HostApplicationBuilder AddCompleter(this HostApplicationBuilder builder)
    {
        var (settings, redisOptions, dockerOptions) = builder.ReadSettings(r =>
            (CompleterSettings.Read(r), RedisSettings.Read(r, "completer"), DockerSettings.Read(r)));
        var streams = settings.Common.Streams;
        // The group is known once the Docker host id is (DOCKER_HOST_ID, or the engine's id): filled in at start.
        var queueOptions = builder.ReadSettings(r => RedisSettings.ReadQueue(r, streams.Running, group: "", streams.Dead)) with { Consumer = settings.ConsumerName };

        builder.Services.AddSingleton(settings);
        builder.Services.AddAdapters(redisOptions, [streams.Running], dockerOptions);
        builder.Services.AddHostedService(sp =>
        {
            var redis = sp.GetRequiredService<RedisConnections>();
            var time = sp.GetRequiredService<TimeProvider>();
            var queueLogger = sp.GetRequiredService<ILogger<StreamQueue>>();
            return new CompleterWorker(settings, sp.GetRequiredService<IDockerClient>(),
                group => new StreamQueue(redis, queueOptions with { Group = group }, time, queueLogger),
                time, sp.GetRequiredService<ILogger<CompleterWorker>>()) { Heartbeat = sp.GetRequiredService<Heartbeat>() };
        });
        return builder;
    }
}
