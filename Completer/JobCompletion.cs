using System.Collections.Concurrent;
using Correctomatic.Completer.Outcome;
using Correctomatic.Completer.Rendezvous;
using Correctomatic.Shared.Contracts;
using Correctomatic.Shared.Docker;
using Correctomatic.Shared.Redis;
using Microsoft.Extensions.Logging;

namespace Correctomatic.Completer;

/// <summary>
/// Completes one paired job (issue #6): read how the container ended and what it printed, classify, hand off to
/// <c>finished</c> and acknowledge <c>running</c> in one atomic step, then remove the container.
/// </summary>
/// <remarks>
/// Hand-off before removal, on purpose: a completer dying between the two leaves a finished container without an entry,
/// which the orphan rule removes (README "Completer") — the job keeps its real result. Removal first would turn the same
/// crash into a job completed with status error, because whoever reclaims the entry finds no container; the restart
/// test hit that window for 4 jobs out of 6.
/// </remarks>
internal sealed class JobCompletion(IDockerClient docker, OutcomeClassifier classifier, CompleterSettings settings, TimeProvider timeProvider,
    ILogger logger)
{
    // Containers we killed at their deadline. A restart forgets it; then "finished at or after the deadline" says the same.
    private readonly ConcurrentDictionary<string, byte> _killedAtDeadline = new(StringComparer.Ordinal);
    // What the events stream said of each container (see ConfirmOomAsync).
    private readonly ConcurrentDictionary<string, ContainerEvents> _events = new(StringComparer.Ordinal);
    private readonly ContainerOutcomeReader _reader = new(docker, settings.OutputLimitBytes);
    // Per running entry id: what it takes to run the job again (JobRerun); filled when the entry is read.
    private readonly ConcurrentDictionary<string, JobRerun> _reruns = new(StringComparer.Ordinal);

    /// <summary>When the engine could not be reached, kept by the engine ping (<see cref="ContainerWatch.PingEngineAsync"/>).</summary>
    public EngineOutages Outages { get; } = new(timeProvider);

    /// <summary>The running entry was read: keep what its job needs to run again after an infrastructure fault.</summary>
    public void RememberEntry(StreamEntry entry) => _reruns[entry.Id] = JobRerun.Of(entry);

    public void MarkKilledAtDeadline(string containerId) => _killedAtDeadline[containerId] = 0;

    /// <summary>Since when (engine clock) the events stream has been read; set by the event watcher before it subscribes.</summary>
    public DateTimeOffset? WatchingSince { get; set; }

    /// <summary>The events stream delivered <paramref name="action"/> (die, oom or kill) for the container.</summary>
    public void MarkEvent(string containerId, string action) => EventsOf(containerId).Mark(action);

    /// <summary>The container is gone for good: forget what was recorded about it.</summary>
    public void Forget(string containerId)
    {
        _killedAtDeadline.TryRemove(containerId, out _);
        _events.TryRemove(containerId, out _);
    }

    /// <summary>
    /// Reads, classifies and hands off; returns the finished document, the rerun, or neither when another completer of this
    /// host took the entry over meanwhile (it completes the job). The container is still there either way: see <see cref="RemoveAsync"/>.
    /// </summary>
    public async Task<CompletionStep> CompleteAsync(IStreamQueue queue, Pairing pairing, CancellationToken cancellationToken)
    {
        var outcome = await _reader.ReadAsync(pairing.Job, _killedAtDeadline.ContainsKey(pairing.ContainerId), cancellationToken);
        if (outcome.StillRunning)
        {
            // Paired before it ended: wait for the end, or kill it at its deadline as the sweep would.
            await ContainerDeadline.WaitOrKillAsync(docker, pairing.ContainerId, pairing.Job.Deadline, timeProvider,
                () => MarkKilledAtDeadline(pairing.ContainerId), cancellationToken);
            outcome = await _reader.ReadAsync(pairing.Job, _killedAtDeadline.ContainsKey(pairing.ContainerId), cancellationToken);
        }

        outcome = await ConfirmOomAsync(pairing, outcome, cancellationToken);
        var result = classifier.Classify(pairing.Job, outcome, settings.OutputLimitBytes);
        if ((InfrastructureFault.Cause(outcome) ?? OutputLostCause(result, outcome)) is { } cause)
        {
            var rerun = _reruns.GetValueOrDefault(pairing.EntryId) ?? new JobRerun(1, null, null);
            if (rerun.CanRunAgain(settings.InfraRetries))
            {
                return await RunAgainAsync(queue, pairing, rerun, cause, cancellationToken);
            }

            // Not the submission's doing, and no attempt left: an honest error naming the cause, never a student-facing status.
            result = classifier.InfrastructureError(pairing.Job, outcome, rerun.GiveUpMessage(cause, settings.InfraRetries));
        }

        var finished = new FinishedJob { JobId = pairing.Job.JobId, Callback = pairing.Job.Callback, Response = result };

        // Atomic: the finished entry appears and the running entry is acknowledged together, or neither (issue #3);
        // and only while the entry is still ours, so a job is never handed off twice. Dying before this line: the entry
        // is reclaimed and the container read again. Dying after it: the container is an orphan, removed after the grace.
        var handedOff = await queue.TryHandOffAsync(pairing.EntryId, settings.Common.Streams.Finished,
            [new(StreamFields.Data, ContractJson.Serialize(finished))], cancellationToken);
        Forget(pairing.ContainerId);
        _reruns.TryRemove(pairing.EntryId, out _);
        return handedOff is null ? CompletionStep.TakenOver : new CompletionStep(finished);
    }

    /// <summary>No valid response from a container that ended while the engine was down: its output was lost, not missing.</summary>
    private string? OutputLostCause(CorrectionResult result, ContainerOutcome outcome) =>
        result.Status == JobStatus.InvalidOutput && outcome.FinishedAt is { } finishedAt && Outages.Covers(finishedAt)
            ? "the grader container ended while the Docker engine could not be reached (stopped or restarting); it ran on under "
              + "live-restore, but what it printed after the engine stopped is lost"
            : null;

    /// <summary>
    /// The old container goes first: the rerun's container takes the same name, and a removal still in progress when the
    /// starter creates it made the create fail (name in use). Dying between the two: the entry is reclaimed and finds no
    /// container, itself an infrastructure fault, so the same rerun follows. Checkpoint: the job's pending entry (as it
    /// came, plus job_id and the next attempt) is added and the running entry acknowledged in one owner-checked script,
    /// like every hand-off (issue #3).
    /// </summary>
    private async Task<CompletionStep> RunAgainAsync(IStreamQueue queue, Pairing pairing, JobRerun rerun, string cause, CancellationToken cancellationToken)
    {
        await docker.RemoveContainerAsync(pairing.ContainerId, force: true, cancellationToken);
        var pendingId = await queue.TryHandOffAsync(pairing.EntryId, settings.Common.Streams.Pending,
            rerun.PendingFields(pairing.Job.JobId, cause), cancellationToken);
        Forget(pairing.ContainerId);
        _reruns.TryRemove(pairing.EntryId, out _);
        return pendingId is null ? CompletionStep.TakenOver : new CompletionStep(null, cause);
    }

    /// <summary>The kernel's OOM kill, told by the flag, by the oom event, or by elimination (<see cref="OomByElimination"/>).</summary>
    private async Task<ContainerOutcome> ConfirmOomAsync(Pairing pairing, ContainerOutcome outcome, CancellationToken cancellationToken)
    {
        var (confirmed, inferred) = await OomByElimination.ConfirmAsync(outcome, EventsOf(pairing.ContainerId), settings.OomEventGrace,
            WatchingSince, Outages, timeProvider, cancellationToken);
        if (inferred)
        {
            logger.OomInferred(pairing.Job.JobId, pairing.Job.WorkId, pairing.ContainerId);
        }

        return confirmed;
    }

    private ContainerEvents EventsOf(string containerId) => _events.GetOrAdd(containerId, static _ => new ContainerEvents());

    /// <summary>
    /// The bound on retries (issue #15): after COMPLETER_MAX_COMPLETION_ATTEMPTS failures, the job completes with status
    /// error and <paramref name="reason"/>, built from the running entry alone (read nothing from the container again).
    /// When even that cannot be written, the entry is dead-lettered with the reason. Returns the finished document, or
    /// null when another completer took the entry over or it was dead-lettered (<paramref name="deadLettered"/>).
    /// </summary>
    public async Task<(FinishedJob? Finished, bool DeadLettered)> GiveUpAsync(IStreamQueue queue, Pairing pairing, string reason,
        CancellationToken cancellationToken)
    {
        var job = pairing.Job;
        var finished = new FinishedJob
        {
            JobId = job.JobId,
            Callback = job.Callback,
            Response = CorrectionResult.Failed(job.JobId, job.WorkId, reason, JobTimings.Of(job.QueuedAt, job.StartedAt, null)),
        };
        string data;
        try
        {
            data = ContractJson.Serialize(finished);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.Text.Json.JsonException or NotSupportedException)
        {
            // The entry's own fields stay readable in running (by id) until retention trims them; dead gets the reason.
            var dead = await queue.TryDeadLetterAsync(new StreamEntry(pairing.EntryId, new Dictionary<string, string>()),
                $"running entry {pairing.EntryId}: {reason}; and the error result cannot be written either: {ex.Message}", cancellationToken);
            return (null, dead is not null);
        }

        var handedOff = await queue.TryHandOffAsync(pairing.EntryId, settings.Common.Streams.Finished, [new(StreamFields.Data, data)], cancellationToken);
        Forget(pairing.ContainerId);
        return (handedOff is null ? null : finished, false);
    }

    /// <summary>Removes the container and its anonymous volumes; one already gone is no error.</summary>
    public Task RemoveAsync(string containerId, CancellationToken cancellationToken) =>
        docker.RemoveContainerAsync(containerId, force: true, cancellationToken);
}
