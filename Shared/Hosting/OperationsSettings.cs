using Correctomatic.Shared.Configuration;

namespace Correctomatic.Shared.Hosting;

/// <summary>Which metrics exporters run (METRICS_EXPORTER).</summary>
[Flags]
public enum MetricsExporters
{
    None = 0,

    /// <summary>Prometheus text on the operations listener's /metrics.</summary>
    Prometheus = 1,

    /// <summary>OTLP push, configured by the standard OTEL_EXPORTER_OTLP_* settings.</summary>
    Otlp = 2,
}

/// <summary>The operations endpoint's settings (issue #16), each in .env.example with its default.</summary>
public sealed record OperationsSettings
{
    /// <summary>{SERVICE}_HEALTH_LISTEN: http://address:port of /health/live, /health/ready and /metrics; null = off.</summary>
    public string? Listen { get; init; }

    /// <summary>HEALTH_LIVENESS_TIMEOUT: the stage loop must have gone round within this, or liveness fails.</summary>
    public TimeSpan LivenessTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>HEALTH_CHECK_TIMEOUT: how long one readiness check (a Redis PING, a Docker ping) may take.</summary>
    public TimeSpan CheckTimeout { get; init; } = TimeSpan.FromSeconds(5);

    public MetricsExporters Exporters { get; init; } = MetricsExporters.Prometheus;

    /// <summary>METRICS_SAMPLE_INTERVAL: how often queue lengths and running containers are read for the gauges.</summary>
    public TimeSpan SampleInterval { get; init; } = TimeSpan.FromSeconds(15);

    public static OperationsSettings Read(SettingsReader reader, ServiceIdentity identity)
    {
        string? listen = reader.IsSetEmpty(identity.ListenSetting) ? null : reader.String(identity.ListenSetting, identity.DefaultListen);
        if (listen is "off" or "none")
        {
            listen = null;
        }

        if (listen is not null && !(Uri.TryCreate(listen, UriKind.Absolute, out var uri) && uri.Scheme == "http" && uri.AbsolutePath == "/"
                && uri.Query.Length == 0 && uri.UserInfo.Length == 0))
        {
            reader.AddError($"{identity.ListenSetting}='{listen}' is not http://address:port (e.g. {identity.DefaultListen}; port 0 picks a free one; empty or off disables)");
        }

        var exporters = MetricsExporters.None;
        foreach (var name in reader.List("METRICS_EXPORTER", ["prometheus"]))
        {
            switch (name.ToLowerInvariant())
            {
                case "prometheus": exporters |= MetricsExporters.Prometheus; break;
                case "otlp": exporters |= MetricsExporters.Otlp; break;
                case "none": break;
                default: reader.AddError($"METRICS_EXPORTER: '{name}' is not prometheus, otlp or none"); break;
            }
        }

        return new OperationsSettings
        {
            Listen = listen,
            LivenessTimeout = reader.Duration("HEALTH_LIVENESS_TIMEOUT", TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(5), TimeSpan.FromDays(1)),
            CheckTimeout = reader.Duration("HEALTH_CHECK_TIMEOUT", TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(1)),
            Exporters = exporters,
            SampleInterval = reader.Duration("METRICS_SAMPLE_INTERVAL", TimeSpan.FromSeconds(15), TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1)),
        };
    }
}
