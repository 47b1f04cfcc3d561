using Correctomatic.Shared.Contracts;

namespace Correctomatic.Completer.Rendezvous;

/// <summary>
/// Where a <c>running</c> entry meets its finished container (issue #6). Either may arrive first, from any source (the
/// stream, a reclaim, a Docker event, the sweep, an inspect); whichever arrives second hands out the pairing, exactly
/// once. Keyed by container id: a starter that recreates a job's container after a crash creates a new id.
/// </summary>
/// <remarks>
/// In memory only, on purpose: after a restart the state is rebuilt from the two durable sources — un-acknowledged
/// entries (reclaimed from the stream) and containers (the start-up sweep). A finished container whose entry does not
/// come within <c>orphanGrace</c> is handed out by <see cref="TakeOrphans"/> for removal; see README "Completer".
/// </remarks>
public sealed class JobRendezvous(TimeProvider timeProvider, TimeSpan orphanGrace)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Slot> _slots = new(StringComparer.Ordinal);

    // Containers this process completed, until the grace passes: late events about them (destroy after our own removal) are ignored.
    private readonly Dictionary<string, DateTimeOffset> _completed = new(StringComparer.Ordinal);

    /// <summary>A running entry was read (fresh or reclaimed).</summary>
    public RendezvousDecision OnRunningEntry(string entryId, RunningJob job)
    {
        lock (_gate)
        {
            if (_completed.ContainsKey(job.ContainerId))
            {
                return RendezvousDecision.Duplicate;
            }

            if (!_slots.TryGetValue(job.ContainerId, out var slot))
            {
                _slots[job.ContainerId] = new Slot(job.ContainerId) { EntryId = entryId, Job = job };
                return RendezvousDecision.Wait;
            }

            if (slot.EntryId is not null)
            {
                return slot.EntryId == entryId ? RendezvousDecision.Ignore : RendezvousDecision.Duplicate;
            }

            slot.EntryId = entryId;
            slot.Job = job;
            return TryPair(slot);
        }
    }

    /// <summary>The container is known to be finished or gone (event, sweep, inspect). Idempotent.</summary>
    public RendezvousDecision OnContainerFinished(string containerId)
    {
        lock (_gate)
        {
            if (_completed.ContainsKey(containerId))
            {
                return RendezvousDecision.Ignore;
            }

            if (!_slots.TryGetValue(containerId, out var slot))
            {
                _slots[containerId] = new Slot(containerId) { FinishedSince = timeProvider.GetUtcNow() };
                return RendezvousDecision.Wait;
            }

            if (slot.FinishedSince is not null)
            {
                return RendezvousDecision.Ignore;
            }

            slot.FinishedSince = timeProvider.GetUtcNow();
            return TryPair(slot);
        }
    }

    /// <summary>
    /// The container is gone (destroy event, inspect says no such container). Without an entry here there is nothing to
    /// wait for: forget it (another completer of this host completed it, or a starter removed it to recreate it); an entry
    /// arriving later is checked again, finds it gone and completes with error. With an entry, as <see cref="OnContainerFinished"/>.
    /// </summary>
    public RendezvousDecision OnContainerGone(string containerId)
    {
        lock (_gate)
        {
            if (_slots.TryGetValue(containerId, out var slot) && slot.EntryId is null)
            {
                _slots.Remove(containerId);
                return RendezvousDecision.Ignore;
            }
        }

        return OnContainerFinished(containerId);
    }

    /// <summary>The job was handed off to <c>finished</c>: forget it, and ignore late news about its container.</summary>
    public void OnCompleted(string containerId)
    {
        lock (_gate)
        {
            _slots.Remove(containerId);
            _completed[containerId] = timeProvider.GetUtcNow() + orphanGrace;
        }
    }

    /// <summary>
    /// Completing failed: the pairing is handed out again by <see cref="TakeRetries"/>. A failure that
    /// <paramref name="countsAgainstTheJob"/> (anything but Redis or the engine being unreachable) is counted; returns the count.
    /// </summary>
    public int OnCompletionFailed(string containerId, bool countsAgainstTheJob = true)
    {
        lock (_gate)
        {
            if (!_slots.TryGetValue(containerId, out var slot))
            {
                return 0;
            }

            slot.Completing = false;
            return countsAgainstTheJob ? ++slot.Failures : slot.Failures;
        }
    }

    /// <summary>How many counted completion failures the container's job has had (see <see cref="OnCompletionFailed"/>).</summary>
    public int CompletionFailures(string containerId)
    {
        lock (_gate)
        {
            return _slots.TryGetValue(containerId, out var slot) ? slot.Failures : 0;
        }
    }

    /// <summary>True while this process remembers completing the container's job: if it is still there, only its removal failed.</summary>
    public bool IsCompleted(string containerId)
    {
        lock (_gate)
        {
            return _completed.ContainsKey(containerId);
        }
    }

    /// <summary>
    /// Entries no longer pending for us: another consumer of the group took them over (we were too slow to renew), so
    /// they are no longer ours to complete. Entries being completed are left to their hand-off, which knows (it may have
    /// acknowledged them a moment ago). Returns how many were forgotten.
    /// </summary>
    public int OnEntriesLost(IReadOnlyCollection<string> entryIds)
    {
        lock (_gate)
        {
            var lost = _slots.Values.Where(s => s is { EntryId: not null, Completing: false } && entryIds.Contains(s.EntryId)).ToList();
            foreach (var slot in lost)
            {
                _slots.Remove(slot.ContainerId);
            }

            return lost.Count;
        }
    }

    /// <summary>Pairings whose completion failed earlier; each is marked completing again.</summary>
    public IReadOnlyList<Pairing> TakeRetries()
    {
        lock (_gate)
        {
            var ready = _slots.Values.Where(s => s is { Completing: false, EntryId: not null, FinishedSince: not null }).ToList();
            return ready.Select(TryPair).Where(d => d.Pairing is not null).Select(d => d.Pairing!).ToList();
        }
    }

    /// <summary>Entry ids this completer holds (waiting or completing): renewed so no other completer reclaims them.</summary>
    public IReadOnlyList<string> HeldEntryIds()
    {
        lock (_gate)
        {
            return _slots.Values.Where(s => s.EntryId is not null).Select(s => s.EntryId!).ToList();
        }
    }

    /// <summary>Jobs whose entry is here and whose container is not known finished: the sweep checks they still exist.</summary>
    public IReadOnlyList<RunningJob> WaitingForContainer()
    {
        lock (_gate)
        {
            return _slots.Values.Where(s => s is { Job: not null, FinishedSince: null }).Select(s => s.Job!).ToList();
        }
    }

    /// <summary>
    /// Finished containers whose running entry did not come within the grace: removed from the state and returned, for
    /// the caller to remove the containers. Also forgets completed containers whose grace has passed.
    /// </summary>
    public IReadOnlyList<string> TakeOrphans()
    {
        lock (_gate)
        {
            var now = timeProvider.GetUtcNow();
            foreach (var expired in _completed.Where(kv => kv.Value <= now).Select(kv => kv.Key).ToList())
            {
                _completed.Remove(expired);
            }

            var orphans = _slots.Values.Where(s => s.EntryId is null && s.FinishedSince + orphanGrace <= now).Select(s => s.ContainerId).ToList();
            foreach (var id in orphans)
            {
                _slots.Remove(id);
            }

            return orphans;
        }
    }

    public bool KnowsFinished(string containerId)
    {
        lock (_gate)
        {
            return _slots.TryGetValue(containerId, out var slot) && slot.FinishedSince is not null;
        }
    }

    private static RendezvousDecision TryPair(Slot slot)
    {
        if (slot.EntryId is null || slot.Job is null || slot.FinishedSince is null)
        {
            return RendezvousDecision.Wait;
        }

        if (slot.Completing)
        {
            return RendezvousDecision.Ignore;
        }

        slot.Completing = true;
        return new RendezvousDecision(RendezvousKind.Complete, new Pairing(slot.ContainerId, slot.EntryId, slot.Job));
    }

    private sealed class Slot(string containerId)
    {
        public string ContainerId { get; } = containerId;
        public string? EntryId { get; set; }
        public RunningJob? Job { get; set; }
        public DateTimeOffset? FinishedSince { get; set; }
        public bool Completing { get; set; }
        public int Failures { get; set; }
    }
}
