using Correctomatic.Shared.Contracts;
using Correctomatic.Shared.Docker;

namespace Correctomatic.Cli.Operations;

/// <summary>
/// Removes grader containers by our label, never by name pattern (Correctomatic's remove_containers.sh matched names,
/// 004_597acb68d42ad01a.txt): only containers labelled <see cref="ContainerLabels.Managed"/> with this queue prefix.
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
