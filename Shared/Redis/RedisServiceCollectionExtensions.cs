using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Correctomatic.Shared.Redis;

/// <summary>
/// Registers one <see cref="RedisConnections"/> per process and its shared <see cref="IConnectionMultiplexer"/> (disposed
/// with the host), logging through the host's loggers.
/// </summary>
public static class RedisServiceCollectionExtensions
{
    public static IServiceCollection AddRedis(this IServiceCollection services, RedisClientOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton(sp => new RedisConnections(options with { LoggerFactory = sp.GetService<ILoggerFactory>() }));
        services.AddSingleton(sp => sp.GetRequiredService<RedisConnections>().Shared);
        return services;
    }
}
