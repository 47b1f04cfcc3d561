using Correctomatic.Shared.Docker;

namespace Correctomatic.Completer.Outcome;

/// <summary>
/// Waits for a grader container to end and kills it at its deadline (status timeout). Used where a container must be
/// seen to end before it is read: a completion paired early (JobCompletion) and the CLI's <c>try</c>.
/// </summary>
public static class ContainerDeadline
{
    /// <summary>Returns true when the container was killed at <paramref name="deadline"/>, false when it ended by itself.</summary>
    /// <param name="onKilling">Called just before the kill, so the caller can record it first.</param>
    public static async Task<bool> WaitOrKillAsync(IDockerClient docker, string containerId, DateTimeOffset deadline, TimeProvider clock,
        Action? onKilling = null, CancellationToken cancellationToken = default)
    {
        var remaining = deadline - clock.GetUtcNow();
        if (remaining > TimeSpan.Zero)
        {
            using var atDeadline = new CancellationTokenSource(remaining, clock);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(atDeadline.Token, cancellationToken);
            try
            {
                await docker.WaitContainerAsync(containerId, linked.Token);
                return false;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // The deadline came first.
            }
        }

        onKilling?.Invoke();
        try
        {
            await docker.KillContainerAsync(containerId, "KILL", cancellationToken);
        }
        catch (DockerApiException)
        {
            // Already stopped (or gone): the read that follows says which.
        }

        try
        {
            await docker.WaitContainerAsync(containerId, cancellationToken);
        }
        catch (DockerNoSuchContainerException)
        {
            // Gone: the read that follows reports it vanished.
        }

        return true;
    }
}
