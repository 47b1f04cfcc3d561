using Correctomatic.Shared.Configuration;
using Correctomatic.Shared.Docker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Correctomatic.Shared.Hosting;

/// <summary>
/// Health and metrics for one service (issue #16), added by its Program.cs after the service's own wiring:
/// liveness from the stage loop's <see cref="Heartbeat"/>; readiness from the <see cref="IQueueProbe"/> the wiring
/// registered (Redis) and, when the service has an <see cref="IDockerClient"/>, the engine's ping; OpenTelemetry metrics
/// of the service's meter, on /metrics (Prometheus) and/or OTLP; the gauges' sampler; the listener.
/// </summary>
public static class OperationsExtensions
{
    public static HostApplicationBuilder AddOperations(this HostApplicationBuilder builder, ServiceIdentity identity)
    {
        var (settings, common) = builder.ReadSettings(r => (OperationsSettings.Read(r, identity), CommonSettings.Read(r)));
        var services = builder.Services;
        var usesDocker = services.Any(d => d.ServiceType == typeof(IDockerClient));
        var hasProbe = services.Any(d => d.ServiceType == typeof(IQueueProbe));

        services.AddSingleton(identity);
        services.AddSingleton(settings);
        var checks = services.AddHealthChecks().AddCheck<LivenessCheck>("loop", tags: ["live"]);
        if (hasProbe)
        {
            checks.AddCheck<RedisReadinessCheck>("redis", HealthStatus.Unhealthy, ["ready"], settings.CheckTimeout);
        }

        if (usesDocker)
        {
            checks.AddCheck<DockerReadinessCheck>("docker", HealthStatus.Unhealthy, ["ready"], settings.CheckTimeout);
        }

        if (settings.Exporters != MetricsExporters.None)
        {
            services.AddOpenTelemetry()
                .ConfigureResource(r => r.AddService("correctomatic-" + identity.Name))
                .WithMetrics(metrics =>
                {
                    metrics.AddMeter(identity.MeterName);
                    if (settings.Exporters.HasFlag(MetricsExporters.Prometheus))
                    {
                        metrics.AddPrometheusExporter();
                    }

                    if (settings.Exporters.HasFlag(MetricsExporters.Otlp))
                    {
                        metrics.AddOtlpExporter(); // endpoint, protocol, headers: the standard OTEL_EXPORTER_OTLP_* settings
                    }
                });
        }

        services.AddSingleton(sp => new OperationsSampler(sp.GetService<IQueueProbe>(), usesDocker ? sp.GetRequiredService<IDockerClient>() : null,
            common.QueuePrefix, identity, settings, sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<OperationsSampler>>()));
        services.AddHostedService(sp => sp.GetRequiredService<OperationsSampler>());
        services.AddSingleton<OperationsEndpoint>();
        services.AddHostedService(sp => sp.GetRequiredService<OperationsEndpoint>());
        return builder;
    }
}
