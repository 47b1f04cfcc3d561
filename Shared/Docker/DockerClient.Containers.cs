using System.Net;
using Docker.DotNet.Models;

namespace Correctomatic.Shared.Docker;

/// <summary>Container operations (Engine API "Container" section).</summary>
public sealed partial class DockerClient
{
    public Task<string> CreateContainerAsync(ContainerSpec spec, CancellationToken cancellationToken = default) =>
        CallAsync(async (e, ct) => (await e.Containers.CreateContainerAsync(DockerMapping.ToCreateParameters(spec), ct)).ID, cancellationToken);

    public Task PutFileAsync(string containerId, string path, ReadOnlyMemory<byte> content, int mode = 0b110_100_100, int uid = 0, int gid = 0,
        CancellationToken cancellationToken = default)
    {
        if (!path.StartsWith('/') || path.EndsWith('/'))
        {
            throw new ArgumentException($"'{path}' must be an absolute file path", nameof(path));
        }

        // Extracted in the parent directory: with a read-only rootfs the engine refuses "/" but accepts a writable volume there.
        // AllowOverwriteDirWithFile is the API's noOverwriteDirNonDir=true: a directory at the path is an error, not replaced.
        var slash = path.LastIndexOf('/');
        var target = new CopyToContainerParameters { Path = slash == 0 ? "/" : path[..slash], AllowOverwriteDirWithFile = true };
        var tar = OneFileTar.Create(path[(slash + 1)..], content, mode, uid, gid, _options.TimeProvider.GetUtcNow());
        return CallAsync((e, ct) => e.Containers.ExtractArchiveToContainerAsync(containerId, target, tar, ct), cancellationToken);
    }

    public async Task<PathStat?> StatPathAsync(string containerId, string path, CancellationToken cancellationToken = default)
    {
        try
        {
            return await CallAsync(async (e, ct) => DockerMapping.ToPathStat(
                (await e.Containers.GetArchiveFromContainerAsync(containerId, new ContainerPathStatParameters { Path = path }, statOnly: true, ct)).Stat),
                cancellationToken);
        }
        catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound && ex is not DockerNoSuchContainerException)
        {
            return null;
        }
    }

    // 304 (already started) is no error for the library either: the container runs, as asked.
    public Task StartContainerAsync(string containerId, CancellationToken cancellationToken = default) =>
        CallAsync((e, ct) => e.Containers.StartContainerAsync(containerId, null, ct), cancellationToken);

    public Task<long> WaitContainerAsync(string containerId, CancellationToken cancellationToken = default) => CallAsync(async (e, ct) =>
    {
        var answer = await e.Containers.WaitContainerAsync(containerId, ct);
        return answer.Error?.Message is { Length: > 0 } error ? throw new DockerApiException(HttpStatusCode.OK, error) : answer.StatusCode;
    }, cancellationToken);

    public Task<ContainerInfo> InspectContainerAsync(string containerId, CancellationToken cancellationToken = default) =>
        CallAsync(async (e, ct) => DockerMapping.ToInfo(await e.Containers.InspectContainerAsync(containerId, ct)), cancellationToken);

    public Task KillContainerAsync(string containerId, string signal = "KILL", CancellationToken cancellationToken = default) =>
        CallAsync((e, ct) => e.Containers.KillContainerAsync(containerId, new ContainerKillParameters { Signal = signal }, ct), cancellationToken);

    public async Task RemoveContainerAsync(string containerId, bool force = true, CancellationToken cancellationToken = default)
    {
        try
        {
            // RemoveVolumes (v=true) takes the anonymous volumes (the /tmp a file was put into) with the container.
            await CallAsync((e, ct) => e.Containers.RemoveContainerAsync(containerId, new ContainerRemoveParameters { RemoveVolumes = true, Force = force }, ct),
                cancellationToken);
        }
        catch (DockerApiException ex) when (ex is DockerNoSuchContainerException
            || (ex is DockerConflictException && ex.EngineMessage.Contains("already in progress", StringComparison.OrdinalIgnoreCase)))
        {
            // Gone already, or another remover got there first (the completer and a sweeper may race): as asked.
        }
    }

    public Task<int> PruneVolumesAsync(IReadOnlyList<string> labels, CancellationToken cancellationToken = default) => CallAsync(async (e, ct) =>
        (await e.Volumes.PruneAsync(new VolumesPruneParameters { Filters = DockerMapping.Filters(("label", labels)) }, ct)).VolumesDeleted?.Count ?? 0,
        cancellationToken);

    public Task<IReadOnlyList<ContainerSummary>> ListContainersAsync(IReadOnlyList<string> labels, bool all = true,
        CancellationToken cancellationToken = default) => CallAsync<IReadOnlyList<ContainerSummary>>(async (e, ct) =>
        [.. (await e.Containers.ListContainersAsync(new ContainersListParameters { All = all, Filters = DockerMapping.Filters(("label", labels)) }, ct))
            .Select(DockerMapping.ToSummary)], cancellationToken);
}
