using Correctomatic.Shared.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Correctomatic.Shared.Docker;

public static class DockerServiceCollectionExtensions
{
    /// <summary>
    /// Registers one shared <see cref="IDockerClient"/> from DOCKER_HOST, DOCKER_TLS_VERIFY and DOCKER_CERT_PATH (read
    /// with <paramref name="reader"/>; problems join the reader's errors), using the container's TimeProvider and logging.
    /// </summary>
    public static IServiceCollection AddDockerClient(this IServiceCollection services, SettingsReader reader) =>
        services.AddDockerClient(DockerSettings.Read(reader));

    /// <summary>Registers one shared <see cref="IDockerClient"/> (one per engine, as Docker.DotNet intends) for settings already read.</summary>
    public static IServiceCollection AddDockerClient(this IServiceCollection services, DockerClientOptions options) =>
        services.AddSingleton<IDockerClient>(sp => DockerClient.Create(options with
        {
            TimeProvider = sp.GetService<TimeProvider>() ?? TimeProvider.System,
            Logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger("Correctomatic.Docker"),
        }));
}
