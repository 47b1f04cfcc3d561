using Correctomatic.Shared.Configuration;

namespace Correctomatic.Starter;

/// <summary>
/// How grader containers are locked down (issue #5: no network, 1 CPU, 300 MB, nothing of the host mounted). Every
/// default is the strict one; each can be loosened by its setting.
/// </summary>
public sealed record SandboxSettings
{
    /// <summary>CONTAINER_NETWORK: Docker network mode; "none" (default) leaves only the loopback interface.</summary>
    public string NetworkMode { get; init; } = "none";

    /// <summary>
    /// CONTAINER_RUNTIME: the OCI runtime grader containers run under (HostConfig.Runtime): runc (default) or one
    /// registered in dockerd's daemon.json, e.g. runsc (gVisor, registered by utils/setup.sh; README "gVisor").
    /// </summary>
    public string Runtime { get; init; } = "runc";

    public bool DropAllCapabilities { get; init; } = true;
    public bool NoNewPrivileges { get; init; } = true;
    public bool ReadonlyRootfs { get; init; } = true;

    /// <summary>Run as a non-root user: the image's USER when it is not root, else <see cref="FallbackUser"/>.</summary>
    public bool RunAsNonRoot { get; init; } = true;

    /// <summary>CONTAINER_USER: the uid[:gid] used when the image's USER is root or unset (default 65534:65534, "nobody").</summary>
    public string FallbackUser { get; init; } = "65534:65534";

    /// <summary>
    /// CONTAINER_LOG_MAX_SIZE: json-file max-size, kept with <see cref="LogMaxFiles"/> files; null keeps the engine's log
    /// driver. Never smaller than <see cref="ContainerLogPolicy.MinMaxSizeBytes"/> of OUTPUT_LIMIT, so the completer always
    /// sees output over the cap (issue #14).
    /// </summary>
    public string? LogMaxSize { get; init; } = ContainerLogPolicy.MinMaxSizeBytes(ContainerLogPolicy.DefaultOutputLimitBytes).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>json-file max-file: the full file before the current one is kept, see <see cref="ContainerLogPolicy"/>.</summary>
    public int LogMaxFiles { get; init; } = ContainerLogPolicy.MaxFiles;

    /// <summary>CONTAINER_ULIMIT_FSIZE_BYTES: RLIMIT_FSIZE, the largest file a grader may write (SIGXFSZ/EFBIG beyond).</summary>
    public long FileSizeLimitBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>CONTAINER_TMP_INODES: nr_inodes of the /tmp tmpfs, the files and directories a grader may make there (issue #14).</summary>
    public long TmpInodes { get; init; } = 16384;

    /// <summary>CONTAINER_ULIMIT_NOFILE: RLIMIT_NOFILE, open files per process.</summary>
    public long OpenFilesLimit { get; init; } = 1024;

    /// <summary>
    /// RLIMIT_NPROC. The kernel counts it per uid across the whole host, not per container, and every grader runs as
    /// the same few uids: a limit of one job's pids would make concurrent graders fail each other's forks. So it is
    /// JOB_PIDS_MAX × MAX_RUNNING_CONTAINERS — all of our containers at their pids limit fit, a runaway uid does not —
    /// and the per-container bound stays the pids cgroup (PidsLimit). Set by <see cref="StarterSettings.Read"/>.
    /// </summary>
    public long ProcessLimit { get; init; } = 512L * 32;

    /// <summary>The rlimits of every grader container; core dumps always off (a dump of a 1 GB grader is 1 GB of disk).</summary>
    public IReadOnlyList<Correctomatic.Shared.Docker.Ulimit> Ulimits =>
    [
        new("fsize", FileSizeLimitBytes, FileSizeLimitBytes),
        new("nofile", OpenFilesLimit, OpenFilesLimit),
        new("nproc", ProcessLimit, ProcessLimit),
        new("core", 0, 0),
    ];

    public static SandboxSettings Read(SettingsReader reader)
    {
        // The completer's OUTPUT_LIMIT (same name, same default): the log must keep more than it, see ContainerLogPolicy.
        var outputLimit = reader.Int("OUTPUT_LIMIT", ContainerLogPolicy.DefaultOutputLimitBytes, 1024, 256 * 1024 * 1024);
        var minLogBytes = ContainerLogPolicy.MinMaxSizeBytes(outputLimit);
        var fallbackUser = reader.String("CONTAINER_USER", "65534:65534");
        if (ContainerUser.ParseNumeric(fallbackUser) is not { } parsed || parsed.Uid == 0)
        {
            reader.AddError($"CONTAINER_USER='{fallbackUser}' must be a non-root numeric uid or uid:gid (e.g. 65534:65534)");
        }

        var logMaxSize = reader.String("CONTAINER_LOG_MAX_SIZE", minLogBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (logMaxSize != "0")
        {
            if (ContainerLogPolicy.ParseSize(logMaxSize) is not { } bytes)
            {
                reader.AddError($"CONTAINER_LOG_MAX_SIZE='{logMaxSize}' is not a size like 200m (or 0 for the engine default)");
            }
            else if (bytes < minLogBytes)
            {
                reader.AddError($"CONTAINER_LOG_MAX_SIZE={logMaxSize} must be at least {minLogBytes} bytes for OUTPUT_LIMIT={outputLimit}: "
                    + "a smaller log rotates away output the completer must see to report output_limit");
            }
        }

        var runtime = reader.String("CONTAINER_RUNTIME", "runc");
        if (!IsRuntimeName(runtime))
        {
            reader.AddError($"CONTAINER_RUNTIME='{runtime}' is not a runtime name (letters, digits, '.', '_', '-'; e.g. runc or runsc)");
        }

        return new SandboxSettings
        {
            Runtime = runtime,
            NetworkMode = reader.String("CONTAINER_NETWORK", "none"),
            DropAllCapabilities = reader.Bool("CONTAINER_CAP_DROP_ALL", true),
            NoNewPrivileges = reader.Bool("CONTAINER_NO_NEW_PRIVILEGES", true),
            ReadonlyRootfs = reader.Bool("CONTAINER_READONLY_ROOTFS", true),
            RunAsNonRoot = reader.Bool("CONTAINER_NON_ROOT", true),
            FallbackUser = fallbackUser,
            LogMaxSize = logMaxSize == "0" ? null : logMaxSize,
            FileSizeLimitBytes = reader.Long("CONTAINER_ULIMIT_FSIZE_BYTES", 64L * 1024 * 1024, 1024 * 1024, 1L << 40),
            OpenFilesLimit = reader.Long("CONTAINER_ULIMIT_NOFILE", 1024, 16, 1L << 20),
            TmpInodes = reader.Long("CONTAINER_TMP_INODES", 16384, 16, 1L << 24),
        };
    }

    // The engine answers an unregistered name with "unknown or invalid runtime name" at create; this refuses the
    // malformed ones at start, with the setting's name.
    private static bool IsRuntimeName(string name) =>
        name.Length is > 0 and <= 64 && char.IsAsciiLetterOrDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');
}
