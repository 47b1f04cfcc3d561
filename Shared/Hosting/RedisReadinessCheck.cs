using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Correctomatic.Shared.Hosting;

/// <summary>Readiness (issue #16): Redis answers a ping through the service's <see cref="IQueueProbe"/>.</summary>
internal sealed class RedisReadinessCheck(IQueueProbe probe) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await probe.PingAsync(cancellationToken);
            return HealthCheckResult.Healthy("redis answered PING");
        }
        catch (Exception ex) when (!FailurePolicy.IsFatal(ex))
        {
            return HealthCheckResult.Unhealthy("redis unreachable: " + (cancellationToken.IsCancellationRequested ? "no answer within HEALTH_CHECK_TIMEOUT" : ex.Message));
        }
    }
}
