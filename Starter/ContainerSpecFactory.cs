using Correctomatic.Shared.Contracts;
using Correctomatic.Shared.Docker;

namespace Correctomatic.Starter;

/// <summary>
/// Builds the locked-down container for a job (issue #5; seed 003: no network, CPU and memory caps, files copied in).
/// Labels carry everything the completer needs without asking Redis (issue #6).
/// </summary>
public sealed class ContainerSpecFactory(string queuePrefix, string dockerHostId, SandboxSettings sandbox)
{
    /// <summary>Where the student's file is put, through the archive API.</summary>
    public const string ExercisePath = "/tmp/exercise";

    /// <summary>The two capabilities a spawner image keeps (issue #13): to give the grader and the submission their uids.</summary>
    public static readonly IReadOnlyList<string> SpawnerCapabilities = ["SETUID", "SETGID"];

    public ContainerSpec Create(ValidatedJob job, ContainerUser user, DateTimeOffset deadline, ImageSandbox imageSandbox = ImageSandbox.Plain)
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
            HostConfig = new ContainerHostConfig
            {
                MemoryBytes = job.Limits.MemoryBytes,
                // Swap equal to memory: no swap on top of the limit, so an over-limit grader is OOM-killed, not slowed.
                MemorySwapBytes = job.Limits.MemoryBytes,
                NanoCpus = job.Limits.NanoCpus,
                PidsLimit = job.Limits.Pids,
                NetworkMode = sandbox.NetworkMode,
                ReadonlyRootfs = sandbox.ReadonlyRootfs,
                // The archive API refuses to write into a read-only rootfs even under a tmpfs (verified on this engine,
                // see Shared/Docker/DockerModels.cs): an anonymous volume at /tmp takes the file, and is removed with the
                // container (v=true). It starts as a copy of the image's /tmp, so its 1777 mode is kept.
                // Labelled as ours: should the engine fail to remove it with its container (seen in utils/chaos.sh around engine
                // restarts), the completer's sweep prunes it (IDockerClient.PruneVolumesAsync, unused volumes only).
                Mounts = sandbox.ReadonlyRootfs
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
}
