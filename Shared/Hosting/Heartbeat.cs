namespace Correctomatic.Shared.Hosting;

/// <summary>
/// The stage loop's pulse (issue #16, liveness): the loop calls <see cref="Tick"/> on every iteration; the liveness check
/// calls the service stuck when the last tick is older than HEALTH_LIVENESS_TIMEOUT. A process that exits on a failed
/// loop needs no check; this one catches a loop that hangs while the process lives.
/// </summary>
public sealed class Heartbeat(TimeProvider timeProvider)
{
    private long _lastTick = timeProvider.GetTimestamp();

    /// <summary>One that nobody reads (a worker built outside a service host, e.g. by a test).</summary>
    public static Heartbeat None { get; } = new(TimeProvider.System);

    public void Tick() => Volatile.Write(ref _lastTick, timeProvider.GetTimestamp());

    /// <summary>Time since the last tick (or since creation, before the first).</summary>
    public TimeSpan SinceLastTick => timeProvider.GetElapsedTime(Volatile.Read(ref _lastTick));
}
