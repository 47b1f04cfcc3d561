using Correctomatic.Shared.Configuration;
using Correctomatic.Shared.Contracts;
using Correctomatic.Shared.Docker;
using Correctomatic.Shared.Hosting;
using Correctomatic.Shared.Redis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Correctomatic.Starter;

/// <summary>The starter's wiring in one place (STYLE habit 1: Program.cs stays three lines).</summary>
public static class StarterServiceExtensions
{
    public static HostApplicationBuilder AddStarter(this HostApplicationBuilder builder)
    {
        // Every setting is read (and every problem reported together) before anything connects.
        var (settings, redisOptions, queueOptions, dockerOptions) = builder.ReadSettings(r =>
        {
            var starter = StarterSettings.Read(r);
            var redis = RedisSettings.Read(r, clientName: "starter");
            var queue = RedisSettings.ReadQueue(r, starter.Common.Streams.Pending, ConsumerGroups.Starter, starter.Common.Streams.Dead);
            var docker = DockerSettings.Read(r);
            return (starter, redis, queue, docker);
        });

        builder.Services.AddSingleton(settings);
        builder.Services.AddAdapters(redisOptions, [settings.Common.Streams.Pending], dockerOptions);
        builder.Services.AddHostedService(sp => new StarterService(async cancellationToken =>
        {
            var docker = sp.GetRequiredService<IDockerClient>();
            var time = sp.GetRequiredService<TimeProvider>();
            var loggers = sp.GetRequiredService<ILoggerFactory>();
            var logger = loggers.CreateLogger("Correctomatic.Starter");

            // At start, once: a host id the completers of this engine agree on.
            var hostId = await StarterComposition.ResolveDockerHostIdAsync(settings, docker, cancellationToken);
            var queue = new StreamQueue(sp.GetRequiredService<RedisConnections>(), queueOptions, time, loggers.CreateLogger<StreamQueue>());
            Log.Connected(logger, RedisEndpoint.Redact(settings.Common.RedisUrl), docker.Endpoint, hostId, settings.Common.QueuePrefix, queue.Consumer);
            if (new ImageAllowlist(settings.AllowedImages).AllowsAll)
            {
                Log.AllImagesAllowed(logger);
            }

            var worker = StarterComposition.CreateWorker(settings, queue, docker, hostId, time, loggers);
            worker.Heartbeat = sp.GetRequiredService<Heartbeat>();
            return worker;
        }));
        return builder;
    }
}
