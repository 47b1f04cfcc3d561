using Correctomatic.Shared.Configuration;

namespace Correctomatic.Starter;

/// <summary>
/// How grader containers are locked down (issue #5; seed 003: no network, 1 CPU, 300 MB, files copied in). Every
/// default is the strict one; each can be loosened by its setting.
/// </summary>
public sealed record SandboxSettings
{
    /// <summary>CONTAINER_NETWORK: Docker network mode; "none" (default) leaves only the loopback interface.</summary>
    public string NetworkMode { get; init; } = "none";

    public bool DropAllCapabilities { get; init; } = true;
    public bool NoNewPrivileges { get; init; } = true;
    public bool ReadonlyRootfs { get; init; } = true;

    /// <summary>Run as a non-root user: the image's USER when it is not root, else <see cref="FallbackUser"/>.</summary>
    public bool RunAsNonRoot { get; init; } = true;

    /// <summary>CONTAINER_USER: the uid[:gid] used when the image's USER is root or unset (default 65534:65534, "nobody").</summary>
    public string FallbackUser { get; init; } = "65534:65534";

    /// <summary>CONTAINER_LOG_MAX_SIZE: json-file max-size; empty keeps the engine's log driver.</summary>
    public string? LogMaxSize { get; init; } = "10m";

    public static SandboxSettings Read(SettingsReader reader)
    {
        var fallbackUser = reader.String("CONTAINER_USER", "65534:65534");
        if (ContainerUser.ParseNumeric(fallbackUser) is not { } parsed || parsed.Uid == 0)
        {
            reader.AddError($"CONTAINER_USER='{fallbackUser}' must be a non-root numeric uid or uid:gid (e.g. 65534:65534)");
        }

        var logMaxSize = reader.String("CONTAINER_LOG_MAX_SIZE", "10m");
        if (logMaxSize != "0" && !System.Text.RegularExpressions.Regex.IsMatch(logMaxSize, "^[0-9]+[kmg]?$"))
        {
            reader.AddError($"CONTAINER_LOG_MAX_SIZE='{logMaxSize}' is not a size like 10m (or 0 for the engine default)");
        }

        return new SandboxSettings
        {
            NetworkMode = reader.String("CONTAINER_NETWORK", "none"),
            DropAllCapabilities = reader.Bool("CONTAINER_CAP_DROP_ALL", true),
            NoNewPrivileges = reader.Bool("CONTAINER_NO_NEW_PRIVILEGES", true),
            ReadonlyRootfs = reader.Bool("CONTAINER_READONLY_ROOTFS", true),
            RunAsNonRoot = reader.Bool("CONTAINER_NON_ROOT", true),
            FallbackUser = fallbackUser,
            LogMaxSize = logMaxSize == "0" ? null : logMaxSize,
        };
    }
}
