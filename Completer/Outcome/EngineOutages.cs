namespace Correctomatic.Completer.Outcome;

/// <summary>
/// When this completer could not reach the Docker engine, on the engine's clock: from the engine's last answer (a ping)
/// to the first ping that answered again. An outage opens when a ping fails or when the events stream drops
/// (<see cref="Completer.ContainerWatch"/>): dockerd closes that stream as it stops, so even a live-restore restart
/// shorter than the ping interval is seen (chaos.sh saw one of about 1.3 s, grader start to verdict, pass between two
/// pings). With live-restore a grader runs on while dockerd is down, but what it prints once dockerd has stopped is lost
/// if it also ends before dockerd is back: its log is empty, exit code 0 (reproduced with a private dockerd; chaos.sh hit
/// it as invalid_output). Such an ending is the engine's doing, not the grader's. In memory: a completer restarted
/// meanwhile does not know the outages before its start.
/// </summary>
public sealed class EngineOutages(TimeProvider engineClock)
{
    private static readonly TimeSpan s_kept = TimeSpan.FromHours(1);
    private readonly Lock _gate = new();
    private readonly List<(DateTimeOffset From, DateTimeOffset? To)> _windows = [];
    private DateTimeOffset? _lastReachable;

    /// <summary>A ping failed or the events stream dropped: an outage is open from the last time the engine answered (now, if it never did).</summary>
    public void Unreachable()
    {
        lock (_gate)
        {
            var now = engineClock.GetUtcNow();
            _windows.RemoveAll(w => w.To < now - s_kept);
            if (_windows.Count == 0 || _windows[^1].To is not null)
            {
                _windows.Add((_lastReachable ?? now, null));
            }
        }
    }

    /// <summary>The engine answered: the open outage, if any, ends now.</summary>
    public void Reachable()
    {
        lock (_gate)
        {
            var now = engineClock.GetUtcNow();
            _lastReachable = now;
            if (_windows.Count > 0 && _windows[^1].To is null)
            {
                _windows[^1] = (_windows[^1].From, now);
            }
        }
    }

    /// <summary>True when <paramref name="at"/> (the engine's time) falls in an outage.</summary>
    public bool Covers(DateTimeOffset at) => Overlaps(at, at);

    /// <summary>True when an outage overlaps <paramref name="from"/>..<paramref name="to"/> (the engine's time), ends included.</summary>
    public bool Overlaps(DateTimeOffset from, DateTimeOffset to)
    {
        lock (_gate)
        {
            return _windows.Any(w => w.From <= to && (w.To is null || from <= w.To));
        }
    }
}
