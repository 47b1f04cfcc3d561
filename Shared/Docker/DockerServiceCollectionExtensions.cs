using Correctomatic.Shared.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Correctomatic.Shared.Docker;

/// <summary>Registers one shared <see cref="IDockerClient"/> (one per engine, as Docker.DotNet intends), with the container's TimeProvider and logging.</summary>
public static class DockerServiceCollectionExtensions
{
    /// <summary>From DOCKER_HOST, DOCKER_TLS_VERIFY and DOCKER_CERT_PATH read with <paramref name="reader"/>; problems join the reader's errors.</summary>
    public static IServiceCollection AddDockerClient(this IServiceCollection services, SettingsReader reader) =>
        services.AddDockerClient(DockerSettings.Read(reader));

    public static IServiceCollection AddDockerClient(this IServiceCollection services, DockerClientOptions options) =>
        services.AddSingleton<IDockerClient>(sp => DockerClient.Create(options with
        {
            TimeProvider = sp.GetService<TimeProvider>() ?? TimeProvider.System,
            Logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger("Correctomatic.Docker"),
        }));
}
