using System.Globalization;

namespace Correctomatic.Starter;

/// <summary>
/// Which user the grader runs as, and who owns /tmp/exercise (issue #5: non-root where the image allows). The image's
/// USER wins when it is not root; otherwise the configured CONTAINER_USER (default 65534:65534, "nobody").
/// </summary>
public sealed record ContainerUser(string User, int FileUid, int FileGid, int FileMode)
{
    /// <summary>Parses "uid" or "uid:gid" (numbers only); null otherwise.</summary>
    public static (int Uid, int Gid)? ParseNumeric(string? user)
    {
        if (string.IsNullOrWhiteSpace(user))
        {
            return null;
        }

        var parts = user.Split(':');
        if (parts.Length > 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var uid))
        {
            return null;
        }

        var gid = uid;
        if (parts.Length == 2 && !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out gid))
        {
            return null;
        }

        return (uid, gid);
    }

    /// <summary>
    /// A spawner image (<see cref="ImageSandbox.Spawner"/>) starts as root, with CAP_SETUID and CAP_SETGID only; its
    /// grader runs as uid 1000. The file owner applies to the archive path (an image without /bin/sh): on stdin the
    /// wrapper, root without CAP_CHOWN, writes the file as root, 0644 (<see cref="StdinDelivery"/>).
    /// </summary>
    public static ContainerUser Spawner { get; } = new("0:0", 1000, 1000, 0b110_100_100);

    /// <summary>Chooses the user for an image whose USER is <paramref name="imageUser"/>.</summary>
    public static ContainerUser Choose(string? imageUser, SandboxSettings sandbox)
    {
        var isRoot = string.IsNullOrWhiteSpace(imageUser) || imageUser.Split(':')[0] is "0" or "root";
        if (isRoot && sandbox.RunAsNonRoot)
        {
            var (uid, gid) = ParseNumeric(sandbox.FallbackUser) ?? (65534, 65534);
            return new ContainerUser($"{uid}:{gid}", uid, gid, 0b110_100_100);
        }

        if (ParseNumeric(imageUser) is { } numeric)
        {
            return new ContainerUser(imageUser!, numeric.Uid, numeric.Gid, 0b110_100_100);
        }

        // A user given by name (e.g. "grader"): its uid is only in the image's /etc/passwd, which we do not read, so the
        // file stays root-owned and world-readable (0644) — readable by the grader, and /tmp itself stays writable (1777
        // copied from the image into the volume).
        return new ContainerUser(isRoot ? "" : imageUser!, 0, 0, 0b110_100_100);
    }
}
