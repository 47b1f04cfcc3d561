using Correctomatic.Shared.Docker;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Correctomatic.Shared.Hosting;

/// <summary>Readiness (issue #16) of a stage that runs containers: the engine answers /_ping.</summary>
internal sealed class DockerReadinessCheck(IDockerClient docker) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await docker.PingAsync(cancellationToken);
            return HealthCheckResult.Healthy("docker engine answered /_ping at " + docker.Endpoint);
        }
        catch (Exception ex) when (!FailurePolicy.IsFatal(ex))
        {
            return HealthCheckResult.Unhealthy($"docker engine at {docker.Endpoint} unreachable: "
                + (cancellationToken.IsCancellationRequested ? "no answer within HEALTH_CHECK_TIMEOUT" : ex.Message));
        }
    }
}
