using System.Formats.Tar;
using System.Net;
using System.Runtime.InteropServices;
using Docker.DotNet.Models;

namespace Correctomatic.Shared.Docker;

/// <summary>Container operations (Engine API "Container" section) through the library's IContainerOperations.</summary>
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

        // Extract in the parent directory: with a read-only rootfs the engine refuses "/" but accepts a writable volume there.
        // noOverwriteDirNonDir=true (the library calls it AllowOverwriteDirWithFile): a directory at the path is an error, not replaced.
        var slash = path.LastIndexOf('/');
        var target = new CopyToContainerParameters { Path = slash == 0 ? "/" : path[..slash], AllowOverwriteDirWithFile = true };
        var tar = OneFileTar(path[(slash + 1)..], content, mode, uid, gid);
        return CallAsync((e, ct) => e.Containers.ExtractArchiveToContainerAsync(containerId, target, tar, ct), cancellationToken);
    }

    public async Task<PathStat?> StatPathAsync(string containerId, string path, CancellationToken cancellationToken = default)
    {
        try
        {
            return await CallAsync(async (e, ct) =>
            {
                var answer = await e.Containers.GetArchiveFromContainerAsync(containerId, new ContainerPathStatParameters { Path = path }, statOnly: true, ct);
                return DockerMapping.ToPathStat(answer.Stat);
            }, cancellationToken);
        }
        catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound && ex is not DockerNoSuchContainerException)
        {
            return null;
        }
    }

    // 304 (already started) is not an error for the library either: the container runs, as asked.
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
            // v=true takes the anonymous volumes (the /tmp a file was put into) with the container.
            await CallAsync((e, ct) => e.Containers.RemoveContainerAsync(containerId, new ContainerRemoveParameters { RemoveVolumes = true, Force = force }, ct),
                cancellationToken);
        }
        catch (DockerApiException ex) when (ex is DockerNoSuchContainerException
            || (ex is DockerConflictException && ex.EngineMessage.Contains("already in progress", StringComparison.OrdinalIgnoreCase)))
        {
            // Gone already, or another remover got there first (the completer and a sweeper may race): as asked.
        }
    }

    public Task<int> PruneVolumesAsync(IReadOnlyList<string> labels, CancellationToken cancellationToken = default) =>
        CallAsync(async (e, ct) =>
            (await e.Volumes.PruneAsync(new VolumesPruneParameters { Filters = DockerMapping.Filters(("label", labels)) }, ct)).VolumesDeleted?.Count ?? 0,
            cancellationToken);

    public Task<IReadOnlyList<ContainerSummary>> ListContainersAsync(IReadOnlyList<string> labels, bool all = true,
        CancellationToken cancellationToken = default) => CallAsync<IReadOnlyList<ContainerSummary>>(async (e, ct) =>
    {
        var list = await e.Containers.ListContainersAsync(new ContainersListParameters { All = all, Filters = DockerMapping.Filters(("label", labels)) }, ct);
        return [.. list.Select(DockerMapping.ToSummary)];
    }, cancellationToken);

    /// <summary>
    /// A tar of one regular file (System.Formats.Tar, PAX), written straight into the stream the library sends and then
    /// disposes (ExtractArchiveToContainerAsync owns it): one copy of the content, as our earlier builder made.
    /// </summary>
    private MemoryStream OneFileTar(string fileName, ReadOnlyMemory<byte> content, int mode, int uid, int gid)
    {
        var tar = new MemoryStream(content.Length + 2048);
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        using (var data = MemoryMarshal.TryGetArray(content, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(content.ToArray(), writable: false))
        {
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, fileName)
            {
                Mode = (UnixFileMode)(mode & 0xFFF),
                Uid = uid,
                Gid = gid,
                ModificationTime = _options.TimeProvider.GetUtcNow(),
                DataStream = data,
            });
        }

        tar.Position = 0;
        return tar;
    }
}
