using Correctomatic.Shared.Contracts;
using Correctomatic.Shared.Docker;
using Correctomatic.Shared.Redis;
using Microsoft.Extensions.Logging;

namespace Correctomatic.Starter;

/// <summary>
/// One pending entry's life in the starter (issue #5): validate → (dead | finished:rejected | launch → running |
/// finished:error). Every path ends with exactly one atomic hand-off that also acknowledges the entry; until then the
/// entry stays pending in our consumer, so a crash on any line leaves it for another starter to reclaim.
/// </summary>
public sealed class JobProcessor(
    IStreamQueue queue, StreamNames streams, JobValidator validator, ContainerLauncher launcher, string dockerHostId,
    TimeProvider timeProvider, ILogger<JobProcessor> logger)
{
    public async Task ProcessAsync(StreamEntry entry, CancellationToken cancellationToken)
    {
        var decision = await validator.ValidateAsync(entry, cancellationToken);
        StarterMetrics.QueueWait(streams.Pending, timeProvider.GetUtcNow() - JobValidator.QueuedAt(entry.Id));
        switch (decision.Kind)
        {
            case JobDecisionKind.Dead:
                // Checkpoint: XADD dead + XACK pending in one Lua script (owner-checked); a crash before it leaves the entry pending (reclaimed, decided again).
                if (await queue.TryDeadLetterAsync(entry, decision.Message!, cancellationToken) is null)
                {
                    Log.TakenOver(logger, decision.JobId, decision.WorkId);
                    return;
                }

                Log.JobDead(logger, decision.JobId, decision.WorkId, decision.Message!);
                StarterMetrics.Job(streams.Pending, "dead");
                return;
            case JobDecisionKind.Rejected:
                if (!await FinishAsync(entry, decision.JobId, decision.Callback!,
                        CorrectionResult.Rejected(decision.JobId, decision.WorkId, decision.Message!, Timings(decision.JobId)), cancellationToken))
                {
                    Log.TakenOver(logger, decision.JobId, decision.WorkId);
                    return;
                }

                Log.JobRejected(logger, decision.JobId, decision.WorkId, decision.Message!);
                StarterMetrics.Job(streams.Pending, "rejected");
                return;
        }

        var job = decision.Job!;
        LaunchResult launch;
        var launchBegan = timeProvider.GetTimestamp();
        try
        {
            launch = await launcher.LaunchAsync(job, cancellationToken);
        }
        catch (DockerUnreachableException ex)
        {
            // Not the job's fault: leave it un-acknowledged; it is reclaimed and tried again (the queue dead-letters it
            // after its maximum deliveries, so an engine that never comes back cannot loop a job forever).
            Log.JobRetryLater(logger, job.JobId, job.WorkId, ex.Message);
            StarterMetrics.Job(streams.Pending, "retry");
            throw;
        }

        if (!launch.Started)
        {
            var result = CorrectionResult.Failed(job.JobId, job.WorkId, launch.Error!, Timings(job.JobId));
            if (!await FinishAsync(entry, job.JobId, job.Callback, result, cancellationToken))
            {
                Log.TakenOver(logger, job.JobId, job.WorkId);
                return;
            }

            Log.JobFailed(logger, job.JobId, job.WorkId, launch.Error!);
            StarterMetrics.Job(streams.Pending, "error");
            return;
        }

        var running = new RunningJob
        {
            JobId = job.JobId,
            WorkId = job.WorkId,
            ContainerId = launch.ContainerId!,
            DockerHost = dockerHostId,
            Image = job.Image,
            Callback = job.Callback,
            QueuedAt = job.QueuedAt,
            StartedAt = launch.StartedAt,
            Deadline = launch.Deadline,
            MemoryMb = job.Limits.MemoryMb,
            TimeoutSeconds = job.Limits.Timeout.TotalSeconds,
        };
        string? handedOff;
        try
        {
            // Checkpoint: XADD running + XACK pending in one script. Before it, a crash leaves a started container and a
            // pending entry: the retry finds the container by name, removes it and starts afresh (no orphan, one hand-off).
            handedOff = await queue.TryHandOffAsync(entry.Id, streams.Running, RunningFields(entry, job, ContractJson.Serialize(running)), CancellationToken.None);
        }
        catch
        {
            await launcher.RemoveAsync(job, launch.ContainerId!);
            throw;
        }

        if (handedOff is null)
        {
            // Another starter reclaimed the job while we were slow: it runs its own container, ours must go.
            Log.TakenOver(logger, job.JobId, job.WorkId);
            await launcher.RemoveAsync(job, launch.ContainerId!);
            return;
        }

        Log.JobStarted(logger, job.JobId, job.WorkId, launch.ContainerId!, launch.Deadline);
        StarterMetrics.Started(streams.Pending, timeProvider.GetElapsedTime(launchBegan));
    }

    /// <summary>Hands the job to <c>finished</c> (callback still fires); false when another starter owns the entry now.</summary>
    /// <summary>
    /// Checkpoint (rejected, or failed to start): XADD finished + XACK pending in one owner-checked script. A crash before
    /// it leaves the entry pending, reclaimed and decided again (the same verdict: validation reads only the entry); false
    /// when another starter took the entry over meanwhile, which then decides it.
    /// </summary>
    private async Task<bool> FinishAsync(StreamEntry entry, string jobId, string callback, CorrectionResult result, CancellationToken cancellationToken)
    {
        var finished = new FinishedJob { JobId = jobId, Callback = callback, Response = result };
        return await queue.TryHandOffAsync(entry.Id, streams.Finished, Fields(ContractJson.Serialize(finished)), cancellationToken) is not null;
    }

    private JobTimings Timings(string entryId)
    {
        var queued = JobValidator.QueuedAt(entryId);
        var now = timeProvider.GetUtcNow();
        return JobTimings.Of(queued, null, now);
    }

    private static KeyValuePair<string, string>[] Fields(string data) => [new(StreamFields.Data, data)];

    /// <summary>
    /// The running entry: its data, the attempt, and the pending entry's data and token as they came, so that after an
    /// infrastructure fault the completer can put the job back into <c>pending</c> unchanged (issue #15; the token still
    /// verifies, as it binds those bytes). The cost: the submission is held twice until retention trims the entries.
    /// </summary>
    private static List<KeyValuePair<string, string>> RunningFields(StreamEntry entry, ValidatedJob job, string data)
    {
        var fields = new List<KeyValuePair<string, string>>(4)
        {
            new(StreamFields.Data, data),
            new(StreamFields.Attempt, job.Attempt.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new(StreamFields.PendingData, entry.Field(StreamFields.Data)!),
        };
        if (entry.Field(StreamFields.Token) is { } token)
        {
            fields.Add(new(StreamFields.PendingToken, token));
        }

        return fields;
    }
}
