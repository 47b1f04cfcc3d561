using System.Collections.Concurrent;
using Correctomatic.Completer.Outcome;
using Correctomatic.Completer.Rendezvous;
using Correctomatic.Shared.Contracts;
using Correctomatic.Shared.Docker;
using Correctomatic.Shared.Redis;

namespace Correctomatic.Completer;

/// <summary>
/// Completes one paired job (issue #6): read how the container ended and what it printed, classify, remove the
/// container, then hand off to <c>finished</c> and acknowledge <c>running</c> in one atomic step.
/// </summary>
internal sealed class JobCompletion(IDockerClient docker, OutcomeClassifier classifier, CompleterSettings settings)
{
    // Containers we killed at their deadline. A restart forgets it; then "finished at or after the deadline" says the same.
    private readonly ConcurrentDictionary<string, byte> _killedAtDeadline = new(StringComparer.Ordinal);

    public void MarkKilledAtDeadline(string containerId) => _killedAtDeadline[containerId] = 0;

    /// <summary>
    /// Returns the finished document once handed off. On failure, the exception carries on, and
    /// <paramref name="prepared"/> says what was already built (after the container is removed it cannot be read again).
    /// </summary>
    public async Task<FinishedJob> CompleteAsync(IStreamQueue queue, Pairing pairing, Action<FinishedJob> prepared, CancellationToken cancellationToken)
    {
        var finished = pairing.Prepared;
        if (finished is null)
        {
            var outcome = await ReadOutcomeAsync(pairing.Job, cancellationToken);
            var result = classifier.Classify(pairing.Job, outcome, settings.OutputLimitBytes);
            finished = new FinishedJob { JobId = pairing.Job.JobId, Callback = pairing.Job.Callback, Response = result };

            // Checkpoint: dying after this line leaves the entry un-acknowledged and the container gone; whoever reclaims
            // the entry finds no container and completes the job with status error (README "Completer").
            await docker.RemoveContainerAsync(pairing.ContainerId, force: true, cancellationToken);
            prepared(finished);
        }

        // Atomic: the finished entry appears and the running entry is acknowledged together, or neither (issue #3).
        await queue.HandOffAsync(pairing.EntryId, settings.Common.Streams.Finished,
            [new(StreamFields.Data, ContractJson.Serialize(finished))], cancellationToken);
        _killedAtDeadline.TryRemove(pairing.ContainerId, out _);
        return finished;
    }

    private async Task<ContainerOutcome> ReadOutcomeAsync(RunningJob job, CancellationToken cancellationToken)
    {
        ContainerInfo info;
        try
        {
            info = await docker.InspectContainerAsync(job.ContainerId, cancellationToken);
        }
        catch (DockerNoSuchContainerException)
        {
            return ContainerOutcome.Vanished($"the grader container {Short(job.ContainerId)} disappeared before it could be read (removed by someone else, or the Docker engine lost it)");
        }

        var state = info.State;
        if (state.Status == "created")
        {
            return new ContainerOutcome { NeverStarted = true };
        }

        ContainerLogs logs;
        try
        {
            logs = await docker.GetLogsAsync(job.ContainerId, settings.OutputLimitBytes, cancellationToken);
        }
        catch (DockerNoSuchContainerException)
        {
            return ContainerOutcome.Vanished($"the grader container {Short(job.ContainerId)} disappeared while its output was read");
        }

        var deadline = ContainerLabels.ParseDeadline(info.Labels.GetValueOrDefault(ContainerLabels.Deadline)) ?? job.Deadline;
        var finishedAt = state.FinishedAt is { Year: > 1 } f ? f : (DateTimeOffset?)null;
        return new ContainerOutcome
        {
            ExitCode = state.ExitCode,
            OomKilled = state.OomKilled,
            TimedOut = _killedAtDeadline.ContainsKey(job.ContainerId) || finishedAt >= deadline,
            Stdout = logs.Stdout,
            Stderr = logs.Stderr,
            StdoutTruncated = logs.StdoutTruncated,
            StderrTruncated = logs.StderrTruncated,
            StartedAt = state.StartedAt is { Year: > 1 } s ? s : null,
            FinishedAt = finishedAt,
        };
    }

    private static string Short(string containerId) => containerId.Length > 12 ? containerId[..12] : containerId;
}
