using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace Correctomatic.Shared.Redis;

/// <summary>Registers one <see cref="RedisConnections"/> per process and its shared <see cref="IConnectionMultiplexer"/> (disposed with the host).</summary>
public static class RedisServiceCollectionExtensions
{
    public static IServiceCollection AddRedis(this IServiceCollection services, RedisClientOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton(_ => new RedisConnections(options));
        services.AddSingleton(sp => sp.GetRequiredService<RedisConnections>().Shared);
        return services;
    }
}
