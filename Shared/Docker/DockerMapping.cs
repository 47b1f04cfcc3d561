using System.Globalization;
using Api = Docker.DotNet.Models;

namespace Correctomatic.Shared.Docker;

/// <summary>
/// Our records (the seam stage code uses) to and from the library's models. A field added to <see cref="ContainerSpec"/>
/// or <see cref="ContainerHostConfig"/> gets its one line here; the library leaves out what is null, so an unset field
/// keeps the engine's default.
/// </summary>
internal static class DockerMapping
{
    public static Api.CreateContainerParameters ToCreateParameters(ContainerSpec spec) => new()
    {
        Name = spec.Name,
        Image = spec.Image,
        Labels = spec.Labels.ToDictionary(),
        Env = [.. spec.Env],
        Cmd = spec.Cmd?.ToList()!,
        Entrypoint = spec.Entrypoint?.ToList()!,
        User = spec.User ?? "",
        WorkingDir = spec.WorkingDir ?? "",
        NetworkDisabled = spec.NetworkDisabled,
        // No TTY: logs come multiplexed (stdout and stderr apart). Stdin only when asked, closed after one attach.
        Tty = false,
        OpenStdin = spec.OpenStdin,
        StdinOnce = spec.OpenStdin,
        AttachStdin = spec.OpenStdin,
        HostConfig = ToHostConfig(spec.HostConfig),
    };

    // 0 for Memory, MemorySwap and NanoCPUs is the engine's "unset", as leaving them out was.
    private static Api.HostConfig ToHostConfig(ContainerHostConfig h) => new()
    {
        Memory = h.MemoryBytes ?? 0,
        MemorySwap = h.MemorySwapBytes ?? 0,
        NanoCPUs = h.NanoCpus ?? 0,
        PidsLimit = h.PidsLimit,
        NetworkMode = h.NetworkMode,
        ReadonlyRootfs = h.ReadonlyRootfs,
        Tmpfs = h.Tmpfs.ToDictionary(),
        Mounts = [.. h.Mounts.Select(m => new Api.Mount
        {
            Type = m.Type, Target = m.Target, Source = m.Source, ReadOnly = m.ReadOnly,
            VolumeOptions = m.VolumeLabels is { } labels ? new Api.VolumeOptions { Labels = labels.ToDictionary() } : null!,
        })],
        CapDrop = [.. h.CapDrop],
        CapAdd = h.CapAdd.Count > 0 ? [.. h.CapAdd] : null!,
        Runtime = h.Runtime!,
        SecurityOpt = [.. h.SecurityOpt],
        Ulimits = [.. h.Ulimits.Select(u => new Api.Ulimit { Name = u.Name, Soft = u.Soft, Hard = u.Hard })],
        LogConfig = h.LogConfig is { } log ? new Api.LogConfig { Type = log.Type, Config = log.Config.ToDictionary() } : null!,
    };

    public static ContainerInfo ToInfo(Api.ContainerInspectResponse r)
    {
        var s = r.State ?? new Api.State();
        return new ContainerInfo
        {
            Id = r.ID,
            Name = r.Name.TrimStart('/'),
            Image = r.Config?.Image is { Length: > 0 } image ? image : r.Image,
            Labels = Map(r.Config?.Labels),
            State = new ContainerState
            {
                Status = s.Status,
                Running = s.Running,
                ExitCode = s.ExitCode,
                OomKilled = s.OOMKilled,
                Error = s.Error is { Length: > 0 } error ? error : null,
                StartedAt = Time(s.StartedAt),
                FinishedAt = Time(s.FinishedAt),
            },
        };
    }

    public static ImageInfo ToImage(Api.ImageInspectResponse i) =>
        new(i.ID, [.. i.RepoTags ?? []], i.Config?.User is { Length: > 0 } user ? user : null, Map(i.Config?.Labels))
        {
            Entrypoint = [.. i.Config?.Entrypoint ?? []],
            Cmd = [.. i.Config?.Cmd ?? []],
        };

    public static DockerVersionInfo ToVersion(Api.VersionResponse v) => new(v.Version, v.APIVersion, v.MinAPIVersion ?? "", v.Os, v.Arch);

    public static DockerSystemInfo ToSystemInfo(Api.SystemInfoResponse info) => new(info.ID, info.Name, info.ServerVersion)
    {
        SystemTime = DateTimeOffset.TryParse(info.SystemTime, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null,
    };

    /// <summary>
    /// The stat's mode is a Go os.FileMode (moby's archive.go): permissions in the low 9 bits, the type and the special
    /// bits high up (ModeDir 1&lt;&lt;31, ModeSymlink 1&lt;&lt;27, ModeSetuid 1&lt;&lt;23, ModeSetgid 1&lt;&lt;22, ModeSticky 1&lt;&lt;20).
    /// </summary>
    public static PathStat ToPathStat(Api.ContainerPathStatResponse stat)
    {
        var mode = (uint)stat.Mode;
        var unix = (UnixFileMode)(mode & 0x1FF);
        unix |= (mode & (1u << 23)) != 0 ? UnixFileMode.SetUser : 0;
        unix |= (mode & (1u << 22)) != 0 ? UnixFileMode.SetGroup : 0;
        unix |= (mode & (1u << 20)) != 0 ? UnixFileMode.StickyBit : 0;
        return new PathStat(unix, (mode & (1u << 31)) != 0, (mode & (1u << 27)) != 0);
    }

    public static ContainerSummary ToSummary(Api.ContainerListResponse c) => new()
    {
        Id = c.ID,
        Names = [.. (c.Names ?? []).Select(n => n.TrimStart('/'))],
        Image = c.Image,
        State = c.State,
        Created = new DateTimeOffset(DateTime.SpecifyKind(c.Created, DateTimeKind.Utc)),
        Labels = Map(c.Labels),
    };

    public static DockerEvent ToEvent(Api.Message m) => new()
    {
        Type = m.Type,
        Action = m.Action,
        ActorId = m.Actor?.ID ?? "",
        Attributes = Map(m.Actor?.Attributes),
        TimeNano = m.TimeNano ?? (m.Time ?? 0) * 1_000_000_000,
    };

    /// <summary>Repository and tag (or digest) as the docker CLI splits them; no tag means latest (else the API pulls every tag).</summary>
    public static (string Repository, string Tag) SplitReference(string image)
    {
        var at = image.IndexOf('@', StringComparison.Ordinal);
        var colon = image.LastIndexOf(':');
        return at >= 0 ? (image[..at], image[(at + 1)..])
            : colon > image.LastIndexOf('/') ? (image[..colon], image[(colon + 1)..])
            : (image, "latest");
    }

    /// <summary>The filters query parameter: filter name → values (Engine API "filters"); empty filters are left out.</summary>
    public static Dictionary<string, IDictionary<string, bool>> Filters(params (string Name, IReadOnlyList<string> Values)[] filters) =>
        filters.Where(f => f.Values.Count > 0).ToDictionary(f => f.Name, f => (IDictionary<string, bool>)f.Values.Distinct().ToDictionary(v => v, _ => true));

    public static IReadOnlyDictionary<string, string> Map(IDictionary<string, string>? values) =>
        values is null ? new Dictionary<string, string>() : new Dictionary<string, string>(values, StringComparer.Ordinal);

    /// <summary>The engine's zero time (0001-01-01T00:00:00Z) means "never"; it becomes null.</summary>
    private static DateTimeOffset? Time(string raw) =>
        DateTimeOffset.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value) && value.Year > 1 ? value : null;
}
