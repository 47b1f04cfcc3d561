using System.Text;
using Correctomatic.Shared.Docker;

namespace Correctomatic.Benchmarks.Pipeline;

/// <summary>
/// One grading straight through the Engine API, without queues, for the same job the pipeline runs (grader-shell, a
/// passing submission, the Starter's default limits and sandbox). Two ways of getting the file in (issue #12):
/// <list type="bullet">
/// <item><b>archive</b> — what today's Starter does: read-only rootfs, an anonymous volume at /tmp, the file put through
/// the archive API before start;</item>
/// <item><b>bare</b> — read-only rootfs, a tmpfs /tmp, and the container's own command writes the file before exec'ing
/// the grader: no delivery cost at all, the floor a delivery method can reach (issue #14);</item>
/// <item><b>sandboxed</b> (opt-in, <c>--sandboxed</c>) — the container the Starter creates with its defaults: bare's, plus
/// the rlimits, the bounded tmpfs, the rotated log and the file on stdin behind the Starter's wrapper. Against it the
/// pipeline shows what the services and queues cost; against bare, it shows what the sandbox itself costs the engine.</item>
/// </list>
/// Only <see cref="IDockerClient"/> and the records of DockerModels.cs are used, so this keeps compiling whatever
/// library sits behind that interface.
/// </summary>
internal sealed class BaselineLifecycle
{
    public const string RunLabel = "correctomatic.bench.run";

    private readonly IDockerClient _docker;
    private readonly BaselineKind _kind;
    private readonly string _runId;
    private readonly ContainerSpec _spec;
    private readonly bool _stdin;
    private int _sequence;

    public BaselineLifecycle(IDockerClient docker, BaselineKind kind, string runId, string image, IReadOnlyList<string> imageCmd, string submission, IReadOnlyList<string> env, string runtime,
        bool spawner = false)
    {
        _docker = docker;
        _kind = kind;
        _runId = runId;
        // The Starter's defaults (JOB_MEMORY_MB=300 with swap equal, JOB_CPUS=1, JOB_PIDS=128, CONTAINER_LOG_MAX_SIZE=10m,
        // network none, CapDrop ALL, no-new-privileges, read-only rootfs) and the image's own USER (grader-shell's is a
        // name, which the Starter keeps as it is).
        var hostConfig = new ContainerHostConfig
        {
            MemoryBytes = 300L * 1024 * 1024,
            MemorySwapBytes = 300L * 1024 * 1024,
            NanoCpus = 1_000_000_000,
            PidsLimit = 128,
            NetworkMode = "none",
            Runtime = runtime, // the Starter's CONTAINER_RUNTIME, set to the same --runtime
            ReadonlyRootfs = true,
            LogConfig = new LogConfig("json-file", new Dictionary<string, string>(StringComparer.Ordinal) { ["max-size"] = "10m" }),
            // A spawner image (label correctomatic.sandbox=spawner) as the Starter starts it: 0:0 with SETUID and SETGID only;
            // else its confinement refuses the submission under gVisor and the baseline measures a refusal.
            CapAdd = spawner ? ["SETUID", "SETGID"] : [],
        };
        _spec = new ContainerSpec
        {
            Image = image,
            User = spawner ? "0:0" : null,
            Env = env,
            Labels = new Dictionary<string, string>(StringComparer.Ordinal) { [RunLabel] = runId, ["correctomatic.bench.kind"] = kind.ToString() },
            HostConfig = kind == BaselineKind.Archive
                ? hostConfig with { Mounts = [new ContainerMount("volume", "/tmp")] }
                : hostConfig with { Tmpfs = new Dictionary<string, string>(StringComparer.Ordinal) { ["/tmp"] = "rw,nosuid,nodev,size=16m,mode=1777" } },
            // bare: the file is written by the container itself, then the image's own CMD runs.
            Cmd = kind == BaselineKind.Bare
                ? ["/bin/sh", "-c", "printf '%s' \"$SUBMISSION\" > /tmp/exercise && exec \"$@\"", "sh", .. imageCmd]
                : null,
        };
        if (kind == BaselineKind.Bare)
        {
            _spec = _spec with { Env = [.. env, "SUBMISSION=" + submission] };
        }

        Submission = Encoding.UTF8.GetBytes(submission);
        if (kind == BaselineKind.Sandboxed)
        {
            _stdin = true;
            _spec = _spec with
            {
                OpenStdin = true,
                Cmd = null,
                // StdinDelivery.Wrap for an image whose /tmp is 1777, followed by the image's command.
                Entrypoint = ["/bin/sh", "-c", $"umask 022; head -c {Submission.Length} > /tmp/exercise || {{ echo 'correctomatic: the submission could not be "
                    + "written to /tmp/exercise (above)' >&2; exit 125; }; exec \"$@\"", "--", .. imageCmd],
                HostConfig = hostConfig with
                {
                    // SandboxSettings' defaults: CONTAINER_ULIMIT_FSIZE_BYTES, CONTAINER_ULIMIT_NOFILE, nproc, no core files;
                    // ContainerSpecFactory.TmpfsOptions with tmp_mb 64 and CONTAINER_TMP_INODES; ContainerLogPolicy for OUTPUT_LIMIT 1 MiB.
                    Ulimits = [new("fsize", 64L << 20, 64L << 20), new("nofile", 1024, 1024), new("nproc", 16384, 16384), new("core", 0, 0)],
                    Tmpfs = new Dictionary<string, string>(StringComparer.Ordinal) { ["/tmp"] = "rw,exec,nosuid,nodev,size=67108864,nr_inodes=16384,mode=1777" },
                    LogConfig = new LogConfig("json-file", new Dictionary<string, string>(StringComparer.Ordinal) { ["max-size"] = "151126088", ["max-file"] = "2" }),
                },
            };
        }
    }

    public byte[] Submission { get; }

    /// <summary>
    /// create → (put the file) → start → wait → logs → remove; throws unless the grader answered success. Returns the time
    /// to the result (logs read), before the removal — the point the pipeline's Completer hands the result off.
    /// </summary>
    public async Task<TimeSpan> RunAsync(CancellationToken cancellationToken)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var name = $"bench-{_runId}-{_kind.ToString().ToLowerInvariant()}-{Interlocked.Increment(ref _sequence)}";
        var id = await _docker.CreateContainerAsync(_spec with { Name = name }, cancellationToken);
        try
        {
            if (_kind == BaselineKind.Archive)
            {
                // As the Starter does for an image whose USER is a name: root-owned, world-readable (ContainerUser.Choose).
                await _docker.PutFileAsync(id, "/tmp/exercise", Submission, 0b110_100_100, 0, 0, cancellationToken);
            }

            // sandboxed: as the Starter does, attached before start, the file written after it, then the write side closed.
            var stdin = _stdin ? await _docker.AttachStdinAsync(id, cancellationToken) : null;
            await using (stdin)
            {
                await _docker.StartContainerAsync(id, cancellationToken);
                if (stdin is not null)
                {
                    await stdin.WriteAsync(Submission, cancellationToken);
                }
            }

            var exit = await _docker.WaitContainerAsync(id, cancellationToken);
            var logs = await _docker.GetLogsAsync(id, 1024 * 1024, cancellationToken);
            var stdout = Encoding.UTF8.GetString(logs.Stdout);
            if (exit != 0 || !stdout.Contains("\"success\":true", StringComparison.Ordinal) || !stdout.Contains("\"grade\":10,", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"the {_kind} baseline's grader exited {exit} and printed: {stdout} {Encoding.UTF8.GetString(logs.Stderr)}");
            }

            return watch.Elapsed;
        }
        finally
        {
            await _docker.RemoveContainerAsync(id, cancellationToken: CancellationToken.None);
        }
    }
}
