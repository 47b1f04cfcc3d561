using Correctomatic.Shared.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Correctomatic.Tests.Unit.Hosting;

/// <summary>Issue #16: liveness fails once the stage loop has not ticked within HEALTH_LIVENESS_TIMEOUT, and recovers on the next tick.</summary>
public sealed class LivenessCheckTests
{
    private sealed class Clock : TimeProvider
    {
        public long Ticks { get; set; } = 1_000_000;
        public override long TimestampFrequency => TimeSpan.TicksPerSecond;
        public override long GetTimestamp() => Ticks;
        public void Advance(TimeSpan by) => Ticks += by.Ticks;
    }

    private static (LivenessCheck Check, Heartbeat Heartbeat, Clock Clock) CreateSut()
    {
        var clock = new Clock();
        var heartbeat = new Heartbeat(clock);
        return (new LivenessCheck(heartbeat, new OperationsSettings { LivenessTimeout = TimeSpan.FromMinutes(2) }), heartbeat, clock);
    }

    private static async Task<HealthStatus> StatusAsync(LivenessCheck check) => (await check.CheckHealthAsync(new HealthCheckContext())).Status;

    [Fact]
    public async Task CheckHealth_LoopTickedWithinTimeout_Healthy()
    {
        var (check, heartbeat, clock) = CreateSut();
        clock.Advance(TimeSpan.FromMinutes(5));
        heartbeat.Tick();
        clock.Advance(TimeSpan.FromMinutes(2));

        Assert.Equal(HealthStatus.Healthy, await StatusAsync(check));
    }

    [Fact]
    public async Task CheckHealth_NoTickForLongerThanTimeout_UnhealthyThenHealthyAfterATick()
    {
        var (check, heartbeat, clock) = CreateSut();
        heartbeat.Tick();
        clock.Advance(TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(1));

        var stuck = await check.CheckHealthAsync(new HealthCheckContext());
        heartbeat.Tick();

        Assert.Equal(HealthStatus.Unhealthy, stuck.Status);
        Assert.Contains("stuck", stuck.Description, StringComparison.Ordinal);
        Assert.Equal(HealthStatus.Healthy, await StatusAsync(check));
    }
}
