namespace Correctomatic.Completer.Outcome;

/// <summary>
/// An out-of-memory kill whose notice the engine lost. dockerd 20.10 with containerd on cgroup v1 sometimes drops the
/// kernel's OOM notice under load: the container exits 137, State.OOMKilled stays false and no <c>oom</c> event ever
/// comes (seen in fresh-clone runs, 2026-12-03). Read as it is, that SIGKILL is an infrastructure fault: the job runs
/// again and ends as <c>error</c> if every attempt loses its notice. So the SIGKILL is classified by elimination.
/// </summary>
/// <remarks>
/// A SIGKILL reaches a container's main process from the kernel's OOM killer or from outside. From outside through the
/// engine (<c>docker kill</c>, <c>docker stop</c>, <c>docker rm -f</c>, an engine shutting down its containers) the
/// engine logs a <c>kill</c> event, and logs it before the container's <c>die</c>: both are written under the
/// container's lock, the kill while the signal is sent. A process inside cannot SIGKILL its namespace's PID 1. So when
/// the events stream delivered the container's <c>die</c> with no <c>kill</c> before it, and it watched the whole of
/// the container's life with the engine reachable, the kernel killed it, and every container we create has a memory
/// limit. What it cannot see: a <c>kill -9</c> of the container's process by root on the engine's host, bypassing the
/// engine, and a grader that exits 137 itself (a shell passing on its child's SIGKILL). Both read as out_of_memory too,
/// where they were an infrastructure fault before; neither is a grade (README, "Completer").
/// </remarks>
public static class OomByElimination
{
    /// <summary>
    /// A SIGKILL (exit 137) that was not our deadline kill, with State.OOMKilled false: the engine may have recorded the
    /// exit before the kernel's OOM notice (then the flag stays false, but an oom event still follows). Waits up to
    /// <paramref name="grace"/> (COMPLETER_OOM_EVENT_GRACE) for that event; with it, the outcome is the kernel's OOM kill.
    /// Without it, <see cref="Applies"/> decides. Inferred is true when the OOM was told by elimination.
    /// </summary>
    public static async Task<(ContainerOutcome Outcome, bool Inferred)> ConfirmAsync(ContainerOutcome outcome, ContainerEvents events,
        TimeSpan grace, DateTimeOffset? watchingSince, EngineOutages outages, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        if (outcome is not { ExitCode: 137, OomKilled: false, TimedOut: false, VanishedReason: null })
        {
            return (outcome, false);
        }

        if (!events.Oom.IsCompleted && grace > TimeSpan.Zero)
        {
            try
            {
                await events.Oom.WaitAsync(grace, timeProvider, cancellationToken);
            }
            catch (TimeoutException)
            {
                // No oom event: killed by something else, or the engine lost the notice.
            }
        }

        if (events.Oom.IsCompleted)
        {
            return (outcome with { OomKilled = true }, false);
        }

        return Applies(outcome, events.Died, events.Killed, watchingSince, outages) ? (outcome with { OomKilled = true }, true) : (outcome, false);
    }

    /// <param name="outcome">How the container ended, after the wait for an oom event.</param>
    /// <param name="dieSeen">The events stream delivered this container's <c>die</c>.</param>
    /// <param name="killSeen">The events stream delivered a <c>kill</c> for this container.</param>
    /// <param name="watchingSince">Since when (engine clock) the events stream has been read: events before are not replayed.</param>
    /// <param name="outages">When the engine could not be reached: events of those windows may be missing.</param>
    public static bool Applies(ContainerOutcome outcome, bool dieSeen, bool killSeen, DateTimeOffset? watchingSince, EngineOutages outages) =>
        outcome is { ExitCode: 137, OomKilled: false, TimedOut: false, VanishedReason: null, StillRunning: false, EngineError: null or "" }
        && dieSeen && !killSeen
        && outcome is { StartedAt: { } started, FinishedAt: { } finished } && finished >= started
        && watchingSince is { } since && started >= since
        && !outages.Overlaps(started, finished);
}

/// <summary>What the events stream delivered for one container (die, oom, kill). Written by an event watcher, read by a completion.</summary>
public sealed class ContainerEvents
{
    private readonly TaskCompletionSource _oom = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _killed;
    private volatile bool _died;

    public Task Oom => _oom.Task;
    public bool Killed => _killed;
    public bool Died => _died;

    public void Mark(string action)
    {
        switch (action)
        {
            case "oom":
                _oom.TrySetResult();
                break;
            case "kill":
                _killed = true;
                break;
            case "die":
                _died = true;
                break;
        }
    }
}
