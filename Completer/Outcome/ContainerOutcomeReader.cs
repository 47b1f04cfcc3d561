using Correctomatic.Shared.Contracts;
using Correctomatic.Shared.Docker;

namespace Correctomatic.Completer.Outcome;

/// <summary>
/// Reads how a grader container ended and what it printed (inspect, then logs capped per stream). Shared by the completer
/// and the CLI's <c>try</c>, so a grader author sees exactly what the pipeline would.
/// </summary>
public sealed class ContainerOutcomeReader(IDockerClient docker, int outputLimitBytes)
{
    /// <param name="killedAtDeadline">The caller killed the container at its deadline (a restart forgets it; then "finished at or after the deadline" says the same).</param>
    public async Task<ContainerOutcome> ReadAsync(RunningJob job, bool killedAtDeadline, CancellationToken cancellationToken)
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

        if (state.Running || state.Status is "running" or "paused" or "restarting")
        {
            // A pairing can come before the end: a container seen "created" past its deadline counts as finished, and
            // its starter may still start it (slow between create and start). The caller waits for the end.
            return new ContainerOutcome { StillRunning = true };
        }

        ContainerLogs logs;
        try
        {
            logs = await docker.GetLogsAsync(job.ContainerId, outputLimitBytes, cancellationToken);
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
            EngineError = state.Error,
            OomKilled = state.OomKilled,
            TimedOut = killedAtDeadline || finishedAt >= deadline,
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
