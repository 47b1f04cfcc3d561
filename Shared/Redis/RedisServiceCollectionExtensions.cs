using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Correctomatic.Shared.Redis;

/// <summary>Registers one shared <see cref="RedisClient"/> per process (disposed with the host).</summary>
public static class RedisServiceCollectionExtensions
{
    public static IServiceCollection AddRedisClient(this IServiceCollection services, RedisClientOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton(sp => new RedisClient(options, sp.GetService<TimeProvider>() ?? TimeProvider.System, sp.GetService<ILogger<RedisClient>>()));
        services.AddSingleton<IRedisClient>(sp => sp.GetRequiredService<RedisClient>());
        return services;
    }
}
