using Correctomatic.Shared.Contracts;
using Correctomatic.Shared.Docker;

namespace Correctomatic.Starter;

/// <summary>
/// Builds the locked-down container for a job (issue #5: no network, CPU and memory caps, nothing of the host mounted).
/// Labels carry everything the completer needs without asking Redis (issue #6).
/// </summary>
public sealed class ContainerSpecFactory(string queuePrefix, string dockerHostId, SandboxSettings sandbox)
{
    /// <summary>Where the student's file is put: written from stdin by the wrapper (<see cref="StdinDelivery"/>), or through the archive API.</summary>
    public const string ExercisePath = "/tmp/exercise";

    /// <summary>The two capabilities a spawner image keeps (issue #13): to give the grader and the submission their uids.</summary>
    public static readonly IReadOnlyList<string> SpawnerCapabilities = ["SETUID", "SETGID"];

    /// <summary>
    /// The job's container. With <paramref name="wrapped"/> (the image's command behind <see cref="StdinDelivery"/>) the file
    /// arrives on stdin and /tmp is a bounded tmpfs; without, it is put through the archive API (images without /bin/sh).
    /// </summary>
    public ContainerSpec Create(ValidatedJob job, ContainerUser user, DateTimeOffset deadline, ImageSandbox imageSandbox = ImageSandbox.Plain,
        (IReadOnlyList<string> Entrypoint, IReadOnlyList<string> Cmd)? wrapped = null)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [ContainerLabels.Managed] = queuePrefix,
            [ContainerLabels.JobId] = job.JobId,
            [ContainerLabels.Deadline] = ContainerLabels.FormatDeadline(deadline),
            [ContainerLabels.DockerHost] = dockerHostId,
        };
        if (job.WorkId is not null)
        {
            labels[ContainerLabels.WorkId] = job.WorkId;
        }

        var networkNone = sandbox.NetworkMode == "none";
        return new ContainerSpec
        {
            Image = job.Image,
            Name = ContainerLabels.ContainerName(queuePrefix, job.JobId),
            Labels = labels,
            Env = job.Env,
            User = string.IsNullOrEmpty(user.User) ? null : user.User,
            NetworkDisabled = networkNone,
            Entrypoint = wrapped?.Entrypoint,
            Cmd = wrapped?.Cmd,
            OpenStdin = wrapped is not null,
            HostConfig = new ContainerHostConfig
            {
                MemoryBytes = job.Limits.MemoryBytes,
                // Swap equal to memory: no swap on top of the limit, so an over-limit grader is OOM-killed, not slowed.
                MemorySwapBytes = job.Limits.MemoryBytes,
                NanoCpus = job.Limits.NanoCpus,
                PidsLimit = job.Limits.Pids,
                NetworkMode = sandbox.NetworkMode,
                ReadonlyRootfs = sandbox.ReadonlyRootfs,
                Tmpfs = wrapped is not null ? new Dictionary<string, string>(StringComparer.Ordinal) { ["/tmp"] = TmpfsOptions(job.Limits, user) } : [],
                // Without /bin/sh there is no wrapper, and the archive API refuses to write into a read-only rootfs even
                // under a tmpfs (issue #14): an anonymous volume at /tmp takes the file, removed with the container
                // (v=true). It starts as a copy of the image's /tmp. Its size is not bounded: RLIMIT_FSIZE bounds each file.
                // Labelled as ours: should the engine fail to remove it with its container (seen in utils/chaos.sh around
                // engine restarts), the completer's sweep prunes it (IDockerClient.PruneVolumesAsync, unused volumes only).
                Mounts = wrapped is null && sandbox.ReadonlyRootfs
                    ? [new ContainerMount("volume", "/tmp", VolumeLabels: new Dictionary<string, string> { [ContainerLabels.Managed] = queuePrefix })]
                    : [],
                Runtime = sandbox.Runtime,
                CapDrop = sandbox.DropAllCapabilities ? ["ALL"] : [],
                // A spawner's PID 1 runs as root with these two only; the grader and the submission lose them with their
                // uid change, and no-new-privileges keeps them from coming back (images/README.md, "Confinement").
                CapAdd = imageSandbox == ImageSandbox.Spawner ? SpawnerCapabilities : [],
                SecurityOpt = sandbox.NoNewPrivileges ? ["no-new-privileges"] : [],
                Ulimits = sandbox.Ulimits,
                LogConfig = ContainerLogPolicy.LogConfig(sandbox),
            },
        };
    }

    /// <summary>
    /// /tmp as a tmpfs (issue #14): size= and nr_inodes= bound it, and its pages are charged to the container's memory
    /// cgroup, so it counts against the memory limit too (runc; gVisor keeps it in its sentry, inside the same cgroup, and
    /// ignores nr_inodes: there each inode costs memory instead). exec as the volume was (graders may run what they
    /// build there); nosuid and nodev are the engine's defaults. uid=/gid= give the mount to the user the wrapper runs as,
    /// so it may chmod a /tmp that runc set back to an image's 0755 (<see cref="StdinDelivery.Script"/>); a user named
    /// in the image has an uid we do not know, and its mount stays root's.
    /// </summary>
    public string TmpfsOptions(EffectiveLimits limits, ContainerUser user)
    {
        var options = $"rw,exec,nosuid,nodev,size={limits.TmpBytes},nr_inodes={sandbox.TmpInodes},mode=1777";
        return ContainerUser.ParseNumeric(user.User) is { } owner && owner.Uid != 0
            ? $"{options},uid={owner.Uid},gid={owner.Gid}"
            : options;
    }
}
