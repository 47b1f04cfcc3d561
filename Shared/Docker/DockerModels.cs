namespace Correctomatic.Shared.Docker;

/// <summary>What a container is created with (Engine API ContainerCreate body, the parts we use).</summary>
public sealed record ContainerSpec
{
    public required string Image { get; init; }
    public string? Name { get; init; }
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    public IReadOnlyList<string> Env { get; init; } = [];
    public IReadOnlyList<string>? Cmd { get; init; }

    /// <summary>Replaces the image's ENTRYPOINT (and with it the image's CMD: the engine drops it); null keeps both.</summary>
    public IReadOnlyList<string>? Entrypoint { get; init; }
    public string? User { get; init; }
    public string? WorkingDir { get; init; }
    public bool NetworkDisabled { get; init; } = true;

    /// <summary>Keep stdin open for one attach (OpenStdin, StdinOnce, AttachStdin): the file arrives on stdin (issue #14).</summary>
    public bool OpenStdin { get; init; }
    public ContainerHostConfig HostConfig { get; init; } = new();
}

/// <summary>The sandboxing part of a container (Engine API HostConfig).</summary>
public sealed record ContainerHostConfig
{
    public long? MemoryBytes { get; init; }
    public long? MemorySwapBytes { get; init; }
    public long? NanoCpus { get; init; }
    public long? PidsLimit { get; init; }
    public string NetworkMode { get; init; } = "none";
    public bool ReadonlyRootfs { get; init; }

    /// <summary>Mount point → options, e.g. <c>/tmp</c> → <c>rw,size=64m,mode=1777</c>.</summary>
    public IReadOnlyDictionary<string, string> Tmpfs { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Mounts (Engine API HostConfig.Mounts). An anonymous volume (Type volume, no Source) at /tmp is how a file reaches
    /// a read-only-rootfs container: the archive API refuses to write into a read-only rootfs, and a tmpfs only exists
    /// once the container runs. Anonymous volumes go with the container when it is removed with v=true.
    /// </summary>
    public IReadOnlyList<ContainerMount> Mounts { get; init; } = [];

    public IReadOnlyList<string> CapDrop { get; init; } = ["ALL"];

    /// <summary>Capabilities given back after CapDrop (Engine API HostConfig.CapAdd), e.g. SETUID and SETGID for a spawner.</summary>
    public IReadOnlyList<string> CapAdd { get; init; } = [];

    /// <summary>The OCI runtime (Engine API HostConfig.Runtime, e.g. runsc); null leaves the engine's default.</summary>
    public string? Runtime { get; init; }
    public IReadOnlyList<string> SecurityOpt { get; init; } = ["no-new-privileges"];
    public IReadOnlyList<Ulimit> Ulimits { get; init; } = [];

    /// <summary>Log driver options, e.g. json-file with max-size; null keeps the engine's default.</summary>
    public LogConfig? LogConfig { get; init; }
}

/// <summary>One HostConfig.Mounts entry (Source null for an anonymous volume); <paramref name="VolumeLabels"/> go on the volume it creates, so a leftover can be found by them.</summary>
public sealed record ContainerMount(string Type, string Target, string? Source = null, bool ReadOnly = false,
    IReadOnlyDictionary<string, string>? VolumeLabels = null);

/// <summary>A path's stat in a container (the archive API's X-Docker-Container-Path-Stat): permission bits with setuid, setgid and sticky.</summary>
public sealed record PathStat(UnixFileMode Mode, bool IsDirectory, bool IsSymlink);

public sealed record Ulimit(string Name, long Soft, long Hard);

public sealed record LogConfig(string Type, IReadOnlyDictionary<string, string> Config);

/// <summary>ContainerInspect, the parts we use.</summary>
public sealed record ContainerInfo
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string Image { get; init; }
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    public required ContainerState State { get; init; }
}

public sealed record ContainerState
{
    /// <summary>created, running, paused, restarting, removing, exited or dead.</summary>
    public required string Status { get; init; }
    public bool Running { get; init; }
    public long ExitCode { get; init; }
    public bool OomKilled { get; init; }
    public string? Error { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
}

/// <summary>One row of ContainerList.</summary>
public sealed record ContainerSummary
{
    public required string Id { get; init; }
    public IReadOnlyList<string> Names { get; init; } = [];
    public required string Image { get; init; }
    public required string State { get; init; }
    public DateTimeOffset Created { get; init; }
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
}

/// <summary>Demultiplexed container output, each stream cut at the cap it was read with.</summary>
public sealed record ContainerLogs(byte[] Stdout, byte[] Stderr, bool StdoutTruncated, bool StderrTruncated);

/// <summary>One container event (Engine API /events), e.g. Action die/oom/kill/destroy.</summary>
public sealed record DockerEvent
{
    public required string Type { get; init; }
    public required string Action { get; init; }
    public required string ActorId { get; init; }
    public IReadOnlyDictionary<string, string> Attributes { get; init; } = new Dictionary<string, string>();

    public long TimeNano { get; init; }
}

/// <summary>Filters for /events: type, labels (key or key=value) and actions.</summary>
public sealed record DockerEventFilter
{
    public IReadOnlyList<string> Types { get; init; } = ["container"];
    public IReadOnlyList<string> Labels { get; init; } = [];
    public IReadOnlyList<string> Events { get; init; } = [];
}

public sealed record DockerVersionInfo(string Version, string ApiVersion, string MinApiVersion, string Os, string Arch);

public sealed record DockerSystemInfo(string Id, string Name, string ServerVersion)
{
    /// <summary>The engine's clock when it answered (EngineClock measures the offset to ours, issue #15).</summary>
    public DateTimeOffset? SystemTime { get; init; }
}

public sealed record ImageInfo(string Id, IReadOnlyList<string> RepoTags, string? User, IReadOnlyDictionary<string, string> Labels)
{
    /// <summary>Config.Entrypoint and Config.Cmd, empty when the image has none.</summary>
    public IReadOnlyList<string> Entrypoint { get; init; } = [];
    public IReadOnlyList<string> Cmd { get; init; } = [];
}

/// <summary>Registry credentials sent as X-Registry-Auth on pull.</summary>
public sealed record RegistryCredentials(string Username, [property: Configuration.Secret] string Password, string? ServerAddress)
{
    /// <summary>The generated one would print the password (issue #16).</summary>
    public override string ToString() => Configuration.SettingsPrinter.Print(this);
}
