using Correctomatic.Shared.Docker;
using Correctomatic.Shared.Hosting.Probes;
using Correctomatic.Shared.Redis;
using Microsoft.Extensions.DependencyInjection;

namespace Correctomatic.Shared.Hosting;

/// <summary>
/// The one way a service registers Shared's adapters (issue #18), each handed the host's loggers (and TimeProvider):
/// Redis (one multiplexer per process), the queue probe over the streams the service's gauges and readiness watch, and,
/// for the stages that run containers, the Docker client (one per engine).
/// </summary>
public static class AdapterServiceExtensions
{
    public static IServiceCollection AddAdapters(this IServiceCollection services, RedisClientOptions redis, IReadOnlyList<string> probedStreams,
        DockerClientOptions? docker = null)
    {
        services.AddRedis(redis);
        services.AddSingleton<IQueueProbe>(sp => new RedisQueueProbe(sp.GetRequiredService<RedisConnections>(), probedStreams));
        if (docker is not null)
        {
            services.AddDockerClient(docker);
        }

        return services;
    }
}
