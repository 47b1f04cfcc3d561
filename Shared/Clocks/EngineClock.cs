using Correctomatic.Shared.Docker;

namespace Correctomatic.Shared.Clocks;

/// <summary>
/// This process's clock moved onto the Docker engine's: <see cref="GetUtcNow"/> is the local time plus the offset to the
/// engine's <c>SystemTime</c> (GET /info), measured at the midpoint of the call (error at most half its round trip).
/// Timers and timestamps are the local clock's: only wall-clock readings move, so elapsed times are unchanged.
/// </summary>
/// <remarks>
/// Why (issue #15, README "Clocks"): a deadline is an absolute time written by the starter and enforced by a completer
/// on another host, and compared with the engine's FinishedAt. Both stages read the one engine's clock through this
/// class, so the deadline, its enforcement and the container's own times share one clock, and skew between the
/// starter's, the completer's and the engine's hosts cancels out.
/// </remarks>
public sealed class EngineClock(TimeProvider local, IDockerClient docker) : TimeProvider
{
    private long _offsetTicks;
    private long _syncedAtTimestamp;
    private bool _synced;

    /// <summary>Engine time minus local time at the last synchronisation; zero before the first.</summary>
    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public override DateTimeOffset GetUtcNow() => local.GetUtcNow() + Offset;

    public override long GetTimestamp() => local.GetTimestamp();

    public override long TimestampFrequency => local.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => local.LocalTimeZone;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        local.CreateTimer(callback, state, dueTime, period);

    /// <summary>Measures the offset now. An engine that reports no SystemTime leaves it unchanged.</summary>
    public async Task<TimeSpan> SynchroniseAsync(CancellationToken cancellationToken = default)
    {
        var before = local.GetUtcNow();
        var info = await docker.GetInfoAsync(cancellationToken);
        var after = local.GetUtcNow();
        if (info.SystemTime is { } engine)
        {
            Interlocked.Exchange(ref _offsetTicks, (engine - (before + ((after - before) / 2))).Ticks);
        }

        Interlocked.Exchange(ref _syncedAtTimestamp, local.GetTimestamp());
        Volatile.Write(ref _synced, true);
        return Offset;
    }

    /// <summary>Synchronises when the last measure is older than <paramref name="maxAge"/> (or there is none).</summary>
    public Task EnsureFreshAsync(TimeSpan maxAge, CancellationToken cancellationToken = default) =>
        Volatile.Read(ref _synced) && local.GetElapsedTime(Interlocked.Read(ref _syncedAtTimestamp)) < maxAge
            ? Task.CompletedTask
            : SynchroniseAsync(cancellationToken);
}
