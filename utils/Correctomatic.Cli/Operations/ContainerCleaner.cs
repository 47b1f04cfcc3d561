using Correctomatic.Shared.Contracts;
using Correctomatic.Shared.Docker;

namespace Correctomatic.Cli.Operations;

/// <summary>
/// Removes grader containers by our label, never by name pattern (a pattern also matches containers that someone else
/// named alike, or another deployment's): only containers labelled <see cref="ContainerLabels.Managed"/> with this queue prefix.
/// </summary>
public sealed class ContainerCleaner(IDockerClient docker, string queuePrefix, TimeProvider clock)
{
    /// <summary>Our containers, optionally only those created more than <paramref name="olderThan"/> ago.</summary>
    public async Task<IReadOnlyList<ContainerSummary>> FindAsync(TimeSpan? olderThan, CancellationToken cancellationToken = default)
    {
        var containers = await docker.ListContainersAsync([ContainerLabels.ManagedFilter(queuePrefix)], all: true, cancellationToken);
        var now = clock.GetUtcNow();
        return containers.Where(c => olderThan is not { } age || now - c.Created >= age).ToList();
    }

    public async Task RemoveAsync(IReadOnlyList<ContainerSummary> containers, CancellationToken cancellationToken = default)
    {
        foreach (var container in containers)
        {
            await docker.RemoveContainerAsync(container.Id, force: true, cancellationToken);
        }
    }
}
