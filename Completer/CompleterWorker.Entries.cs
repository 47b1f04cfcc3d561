using Correctomatic.Completer.Rendezvous;
using Correctomatic.Shared.Contracts;
using Correctomatic.Shared.Redis;
using Correctomatic.Shared.Schemas;
using Microsoft.Extensions.Logging;

namespace Correctomatic.Completer;

/// <summary>The entry side of the rendezvous: reading <c>running</c>, renewing held entries, reclaiming a dead completer's.</summary>
internal sealed partial class CompleterWorker
{
    private async Task ReadOnceAsync(IStreamQueue queue, CancellationToken cancellationToken)
    {
        Heartbeat.Tick(); // liveness (issue #16): the read loop goes round every COMPLETER_READ_BLOCK or so
        // Checkpoint: once read, an entry is pending under this consumer and renewed while held; if we die, a completer
        // of this host reclaims it after COMPLETER_RECLAIM_IDLE and the start-up sweep finds its container again.
        foreach (var entry in await queue.ReadAsync(_settings.ReadBatch, _settings.ReadBlock, cancellationToken))
        {
            await HandleEntryAsync(queue, entry, cancellationToken);
        }
    }

    private async Task RenewAndReclaimAsync(IStreamQueue queue, CancellationToken cancellationToken)
    {
        var held = _rendezvous.HeldEntryIds();
        if (held.Count > 0)
        {
            var stillOurs = await queue.RenewOwnedAsync(held, cancellationToken);
            if (stillOurs.Count < held.Count)
            {
                // Taken over by another completer of this host (we were too slow to renew): it completes them now.
                var forgotten = _rendezvous.OnEntriesLost(held.Except(stillOurs, StringComparer.Ordinal).ToList());
                if (forgotten > 0)
                {
                    _logger.EntriesLost(forgotten);
                }
            }
        }

        await ReclaimAsync(queue, cancellationToken);
    }

    private async Task ReclaimAsync(IStreamQueue queue, CancellationToken cancellationToken)
    {
        var reclaimed = await queue.ReclaimAsync(_settings.ReclaimIdle, _settings.ReclaimBatch, cancellationToken);
        var held = _rendezvous.HeldEntryIds();
        var fromOthers = reclaimed.Count(e => !held.Contains(e.Id));
        if (fromOthers > 0)
        {
            _logger.Reclaimed(fromOthers);
        }

        foreach (var entry in reclaimed)
        {
            await HandleEntryAsync(queue, entry, cancellationToken);
        }
    }

    /// <summary>One running entry, fresh or reclaimed.</summary>
    private async Task HandleEntryAsync(IStreamQueue queue, StreamEntry entry, CancellationToken cancellationToken)
    {
        var read = EntryReader.Default.Read<RunningJob>(entry.Fields, SchemaName.Running, "the running entry");
        if (!read.IsRead)
        {
            // Checkpoint: moved to dead and acknowledged atomically; an operator can read why. Its container, if any, becomes an orphan.
            await queue.TryDeadLetterAsync(entry, read.Reason, cancellationToken);
            _logger.EntryDeadLettered(entry.Id, read.Reason);
            CompleterMetrics.Dead(queue.Stream);
            return;
        }

        var job = read.Record;
        if (job.DockerHost != _hostId)
        {
            // Another host's job: every host's group sees every entry; acknowledging it here touches only our group.
            await queue.AcknowledgeAsync(entry.Id, cancellationToken);
            return;
        }

        _logger.EntryRead(job.JobId, job.WorkId, job.ContainerId);
        _completion.RememberEntry(entry);
        var decision = _rendezvous.OnRunningEntry(entry.Id, job);
        switch (decision.Kind)
        {
            case RendezvousKind.Complete:
                _completions.Writer.TryWrite(decision.Pairing!);
                break;
            case RendezvousKind.Wait when !_rendezvous.KnowsFinished(job.ContainerId):
                // The container may have finished (or vanished) while nobody watched: look now rather than wait for the sweep.
                _containers.Check(job.ContainerId);
                break;
            case RendezvousKind.Duplicate:
                // Checkpoint: a second entry for a container another entry stands for or that was completed already (a
                // starter's hand-off run again): acknowledged without a hand-off, so the job gets one finished entry.
                await queue.AcknowledgeAsync(entry.Id, cancellationToken);
                _logger.DuplicateEntry(entry.Id, job.JobId, job.WorkId, job.ContainerId);
                break;
        }
    }
}
