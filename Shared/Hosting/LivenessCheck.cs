using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Correctomatic.Shared.Hosting;

/// <summary>Liveness (issue #16): the stage loop ticked its <see cref="Heartbeat"/> within HEALTH_LIVENESS_TIMEOUT.</summary>
internal sealed class LivenessCheck(Heartbeat heartbeat, OperationsSettings settings) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var since = heartbeat.SinceLastTick;
        var seconds = Math.Round(since.TotalSeconds, 1);
        return Task.FromResult(since <= settings.LivenessTimeout
            ? HealthCheckResult.Healthy($"the stage loop went round {seconds} s ago")
            : HealthCheckResult.Unhealthy($"the stage loop has not gone round for {seconds} s (HEALTH_LIVENESS_TIMEOUT={Configuration.Durations.Format(settings.LivenessTimeout)}): stuck"));
    }
}
