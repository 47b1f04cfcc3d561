using Docker.DotNet.Models;

namespace Correctomatic.Shared.Docker;

/// <summary>Stdin delivery through the library's hijacked attach stream (Engine API "Attach to a container").</summary>
public sealed partial class DockerClient
{
    public Task<Stream> AttachStdinAsync(string containerId, CancellationToken cancellationToken = default) => CallAsync<Stream>(async (e, ct) =>
        new StdinStream(await e.Containers.AttachContainerAsync(containerId, new ContainerAttachParameters { Stream = true, Stdin = true }, ct), Endpoint),
        cancellationToken);
}
