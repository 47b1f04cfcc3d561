namespace Correctomatic.Shared.Docker;

/// <summary>
/// The Docker Engine API operations the pipeline needs (issues #4, #12). Errors are <see cref="DockerApiException"/> and
/// its subtypes, or <see cref="DockerUnreachableException"/>, each keeping the engine's message; the caller's
/// cancellation stays an OperationCanceledException.
/// </summary>
public interface IDockerClient : IDisposable
{
    /// <summary>The endpoint as the docker CLI would print it (e.g. unix:///var/run/docker.sock).</summary>
    string Endpoint { get; }

    Task PingAsync(CancellationToken cancellationToken = default);
    Task<DockerVersionInfo> GetVersionAsync(CancellationToken cancellationToken = default);
    Task<DockerSystemInfo> GetInfoAsync(CancellationToken cancellationToken = default);

    /// <summary>The image, or null when the engine does not have it.</summary>
    Task<ImageInfo?> InspectImageAsync(string image, CancellationToken cancellationToken = default);

    Task PullImageAsync(string image, RegistryCredentials? credentials = null, IProgress<string>? progress = null,
        CancellationToken cancellationToken = default);

    /// <summary>Creates a container (no TTY, so its logs stay multiplexed); returns its id.</summary>
    Task<string> CreateContainerAsync(ContainerSpec spec, CancellationToken cancellationToken = default);

    /// <summary>Puts one file at <paramref name="path"/> (absolute, file name included) through the archive API.</summary>
    Task PutFileAsync(string containerId, string path, ReadOnlyMemory<byte> content, int mode = 0b110_100_100, int uid = 0, int gid = 0,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// The stdin of a container created with <see cref="ContainerSpec.OpenStdin"/>, attached before it starts (issue #14).
    /// Write once it is started, then dispose: that closes the container's stdin (StdinOnce), which it reads as end of file.
    /// </summary>
    Task<Stream> AttachStdinAsync(string containerId, CancellationToken cancellationToken = default);

    /// <summary>What is at <paramref name="path"/> in a container's filesystem (a final symlink not followed), or null when nothing is.</summary>
    Task<PathStat?> StatPathAsync(string containerId, string path, CancellationToken cancellationToken = default);

    Task StartContainerAsync(string containerId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Waits for the container to stop and returns its exit code. The engine waits for not-running, and a container not yet
    /// started is not running: called before <see cref="StartContainerAsync"/> it returns at once.
    /// </summary>
    Task<long> WaitContainerAsync(string containerId, CancellationToken cancellationToken = default);

    Task<ContainerInfo> InspectContainerAsync(string containerId, CancellationToken cancellationToken = default);

    /// <summary>stdout and stderr, each read up to <paramref name="maxBytesPerStream"/>: memory stays bounded whatever the container printed.</summary>
    Task<ContainerLogs> GetLogsAsync(string containerId, int maxBytesPerStream, CancellationToken cancellationToken = default);

    Task KillContainerAsync(string containerId, string signal = "KILL", CancellationToken cancellationToken = default);

    /// <summary>Removes the container and its anonymous volumes (force: kills it first). A container already gone is no error.</summary>
    Task RemoveContainerAsync(string containerId, bool force = true, CancellationToken cancellationToken = default);

    /// <summary>Removes the unused volumes carrying every one of <paramref name="labels"/>; returns how many.</summary>
    Task<int> PruneVolumesAsync(IReadOnlyList<string> labels, CancellationToken cancellationToken = default);

    /// <summary>The containers (all states when <paramref name="all"/>) carrying every one of <paramref name="labels"/> (key or key=value).</summary>
    Task<IReadOnlyList<ContainerSummary>> ListContainersAsync(IReadOnlyList<string> labels, bool all = true,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Engine events matching the filter, from <paramref name="since"/> (unix nanoseconds) when given; resumes after a
    /// dropped connection until cancelled. <paramref name="dropped"/> runs each time the stream ended or could not be
    /// opened, before the wait to resume: the engine stopped (or restarted) or could not be reached meanwhile.
    /// </summary>
    IAsyncEnumerable<DockerEvent> GetEventsAsync(DockerEventFilter filter, long? since = null, Action? dropped = null,
        CancellationToken cancellationToken = default);
}
