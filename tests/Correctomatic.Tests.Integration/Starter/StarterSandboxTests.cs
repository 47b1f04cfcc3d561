using System.Text.Json;
using Correctomatic.Shared.Contracts;
using Correctomatic.Tests.Integration.Infrastructure;

namespace Correctomatic.Tests.Integration.Starter;

/// <summary>
/// The rlimits and the CPU quota of a container the starter made, seen from inside with the docker CLI (issue #14).
/// Exec'd processes get the container's rlimits (the engine copies the container's OCI process spec), so what fails
/// here fails for the grader and the submission, whatever confinement the image adds on top.
/// </summary>
public sealed class StarterSandboxTests(StarterFixture fixture) : IClassFixture<StarterFixture>
{
    private const long FileSizeLimit = 2 * 1024 * 1024;
    private static readonly JsonSerializerOptions s_json = new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    /// <summary>Built on the local busybox image with no RUN step, so it needs no network; idempotent.</summary>
    private const string Sleeper = "correctomatic/ct-sandbox-sleeper:test";

    private static Task BuildSleeperAsync() => DockerEngine.BuildAsync(Sleeper, $"FROM {DockerEngine.BusyboxImage}\nCMD [\"sleep\", \"60\"]\n");

    private async Task<string> StartJobAsync(StarterHarness harness, object? limits = null)
    {
        await BuildSleeperAsync();
        await harness.StartWorkerAsync();
        await harness.PushAsync(JsonSerializer.Serialize(new
        {
            image = Sleeper,
            callback = "http://lms.local/cb",
            file_content = Convert.ToBase64String("sleep 60\n"u8.ToArray()),
            limits,
        }, s_json));
        var running = Assert.Single(await harness.WaitForAsync(harness.Streams.Running));
        return ContractJson.Deserialize<RunningJob>(running.Field(StreamFields.Data)!).ContainerId;
    }

    private Task<StarterHarness> HarnessAsync() => StarterHarness.CreateAsync(fixture, new Dictionary<string, string>
    {
        ["CONTAINER_ULIMIT_FSIZE_BYTES"] = FileSizeLimit.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["JOB_PIDS_MAX"] = "100",
        ["JOB_PIDS"] = "50",
        ["MAX_RUNNING_CONTAINERS"] = "8",
    });

    [Fact]
    public async Task Worker_Container_HasTheRlimitsSeenFromInside()
    {
        await using var harness = await HarnessAsync();
        var id = await StartJobAsync(harness);

        var limits = await StarterHarness.ExecAsync(id, "awk",
            """/^Max core file size/ {c=$5"/"$6} /^Max open files/ {n=$4"/"$5} /^Max processes/ {p=$3"/"$4} /^Max file size/ {f=$4"/"$5} END {print c, n, p, f}""",
            "/proc/self/limits");

        Assert.Equal($"0/0 1024/1024 800/800 {FileSizeLimit}/{FileSizeLimit}", limits);
    }

    [Fact]
    public async Task Worker_ProcessOpensTwoThousandFiles_StoppedAtTheLimitAndStillAnswers()
    {
        await using var harness = await HarnessAsync();
        var id = await StartJobAsync(harness);

        // busybox tail opens every file it is given before reading: past RLIMIT_NOFILE (1024) each open fails with EMFILE.
        var answer = await StarterHarness.ExecAsync(id, "sh", "-c", """
            mkdir /tmp/many && cd /tmp/many && i=0; while [ $i -lt 2000 ]; do : > f$i; i=$((i+1)); done
            tail -n0 f* > /dev/null 2> ../err; echo "refused=$(grep -c 'Too many open files' ../err) still answering"
            """);

        var refused = int.Parse(answer.Split(' ')[0]["refused=".Length..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(refused, 2000 - 1024, 2000 - 1000); // 1024 minus stdin, stdout, stderr and tail's own few
        Assert.EndsWith("still answering", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Worker_ProcessWritesTenMegabytes_CutOffAtTheFileSizeLimit()
    {
        await using var harness = await HarnessAsync();
        var id = await StartJobAsync(harness);

        // dd is killed by SIGXFSZ (status 128 + 25) at RLIMIT_FSIZE; what it wrote stops there.
        var answer = await StarterHarness.ExecAsync(id, "sh", "-c",
            "dd if=/dev/zero of=/tmp/big bs=1M count=10 2>/dev/null; echo \"status=$? size=$(wc -c < /tmp/big)\"");

        Assert.Equal($"status=153 size={FileSizeLimit}", answer);
    }

    [Fact]
    public async Task Worker_CpusAtTheKernelFloor_RunsWithAFiniteQuota()
    {
        await using var harness = await HarnessAsync();
        var id = await StartJobAsync(harness, new { cpus = 0.01 });

        // 0.01 CPUs: 1 ms of each 100 ms period (cgroup v2 cpu.max; v1 cpu.cfs_quota_us). Below the floor it read "max" / -1.
        var quota = await StarterHarness.ExecAsync(id, "sh", "-c", "cat /sys/fs/cgroup/cpu.max 2>/dev/null || cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us");

        Assert.True(quota is "1000 100000" or "1000", quota);
    }
}
