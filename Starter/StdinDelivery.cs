using System.Globalization;
using Correctomatic.Shared.Docker;

namespace Correctomatic.Starter;

/// <summary>
/// The submission arrives on the container's stdin (issue #14): the container is created with stdin open for one attach,
/// its entrypoint wrapped so that a shell writes the file's bytes from stdin to /tmp/exercise and then execs the image's
/// own ENTRYPOINT and CMD (read from the image inspect). The rootfs stays read-only and /tmp is a bounded tmpfs; no
/// archive put, no volume. On this engine (20.10) the archive API can write neither into a running container's tmpfs
/// (500) nor into a tmpfs volume of a created one (gone at start), so this is the one way into a tmpfs without a
/// writable rootfs.
/// </summary>
public static class StdinDelivery
{
    /// <summary>The wrapper's exit status when the file could not be written: the Completer reports it with the wrapper's stderr.</summary>
    public const int WriteFailedStatus = 125;

    /// <summary>
    /// The wrapper. It reads exactly <paramref name="fileBytes"/> bytes (<c>head -c</c>), so it never waits for an end of
    /// file: a dockerd stopped with live-restore between the starter's write and its close never passes the close on,
    /// and a <c>cat</c> waited there until the deadline (the job came out "timeout", issue #15). umask 022 makes the file
    /// 0644 (as the archive path made it), owned by whoever the container starts as: the image's or the configured
    /// non-root user, or root for a spawner (which lacks CAP_CHOWN, so it cannot be given to uid 1000; graders only read
    /// it, images/README.md). <paramref name="openTmp"/> adds a chmod for images whose /tmp is not 1777: runc sets a
    /// tmpfs mount point back to the mode of the image's directory under it, whatever mode= says, and the mount's owner
    /// (uid=, see <see cref="ContainerSpecFactory"/>) may change it back.
    /// </summary>
    public static string Script(bool openTmp, int fileBytes) =>
        (openTmp ? "chmod 1777 /tmp 2>/dev/null; " : "")
        + "umask 022; head -c " + fileBytes.ToString(CultureInfo.InvariantCulture) + " > " + ContainerSpecFactory.ExercisePath
        + " || { echo 'correctomatic: the submission could not be written to " + ContainerSpecFactory.ExercisePath + " (above)' >&2; exit "
        + WriteFailedStatus.ToString(CultureInfo.InvariantCulture) + "; }; exec \"$@\"";

    /// <summary>
    /// Entrypoint <c>/bin/sh -c SCRIPT --</c> and, as its arguments, the image's ENTRYPOINT then CMD (what the engine would
    /// have run); null when the image has neither, which the engine would have refused as well ("no command specified").
    /// </summary>
    public static (IReadOnlyList<string> Entrypoint, IReadOnlyList<string> Cmd)? Wrap(ImageInfo image, bool openTmp, int fileBytes)
    {
        IReadOnlyList<string> command = [.. image.Entrypoint, .. image.Cmd];
        return command.Count == 0 ? null : (["/bin/sh", "-c", Script(openTmp, fileBytes), "--"], command);
    }
}
