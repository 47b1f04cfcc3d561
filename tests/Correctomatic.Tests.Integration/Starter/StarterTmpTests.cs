using System.Text.Json;
using Correctomatic.Shared.Contracts;
using Correctomatic.Tests.Integration.Infrastructure;

namespace Correctomatic.Tests.Integration.Starter;

/// <summary>
/// /tmp is a bounded tmpfs (issue #14: a 600 MiB dd in a 64 MB container wrote all of it to the host's disk), under runc
/// and under gVisor: a large write stops at tmp_mb, many small files stop at CONTAINER_TMP_INODES (runc) or at the
/// memory limit (gVisor ignores nr_inodes; its inodes are memory), and the engine's disk is not touched either way.
/// </summary>
public sealed class StarterTmpTests(DeliveryImages images) : IClassFixture<DeliveryImages>
{
    private const int TmpMb = 16;
    private const int Inodes = 2000;

    private async Task<(StarterHarness Harness, string ContainerId)> StartAsync(string runtime, object limits, string? script = null)
    {
        var harness = await StarterHarness.CreateAsync(images.Starter, new Dictionary<string, string>
        {
            ["CONTAINER_RUNTIME"] = runtime,
            ["CONTAINER_TMP_INODES"] = Inodes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            // Above tmp_mb: the tmpfs bound, not RLIMIT_FSIZE, is what stops the write.
            ["CONTAINER_ULIMIT_FSIZE_BYTES"] = (1024L * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        await harness.StartWorkerAsync();
        await harness.PushAsync(JsonSerializer.Serialize(new
        {
            image = script is null ? images.Sleeper : images.Runner,
            callback = "http://lms.local/cb",
            file_content = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(script ?? "x")),
            limits,
        }));
        var running = await harness.WaitForAsync(harness.Streams.Running, timeout: TimeSpan.FromSeconds(60));
        return (harness, ContractJson.Deserialize<RunningJob>(Assert.Single(running).Field(StreamFields.Data)!).ContainerId);
    }

    /// <summary>Free bytes of the filesystem holding the engine's data (volumes, container layers, logs).</summary>
    private static async Task<long> EngineDiskFreeAsync()
    {
        var root = await DockerEngine.CliAsync("info", "-f", "{{.DockerRootDir}}");
        Assert.True(root.ExitCode == 0, root.Describe());
        return new DriveInfo(root.Stdout.Trim()).AvailableFreeSpace;
    }

    [Theory]
    [InlineData("runc")]
    [InlineData("runsc")]
    public async Task Tmp_SixHundredMebibyteWrite_CutOffAtTmpMbAndTheHostDiskUntouched(string runtime)
    {
        var freeBefore = await EngineDiskFreeAsync();
        var (harness, id) = await StartAsync(runtime, new { tmp_mb = TmpMb, memory_mb = 256 });
        await using (harness)
        {
            // Its stderr goes to a pipe: once the tmpfs is full no file there takes anything more.
            var answer = await StarterHarness.ExecAsync(id, "sh", "-c",
                "err=$(dd if=/dev/zero of=/tmp/fill bs=1M count=600 2>&1); echo \"status=$? size=$(wc -c < /tmp/fill) $(echo \"$err\" | grep -c 'No space left')\"");

            // dd fails with ENOSPC once the tmpfs is full (the exercise and the error file take a page each).
            var parts = answer.Split(' ');
            Assert.True(parts[0] == "status=1" && parts[2] == "1", answer);
            Assert.InRange(long.Parse(parts[1]["size=".Length..], System.Globalization.CultureInfo.InvariantCulture), (TmpMb - 1L) << 20, (long)TmpMb << 20);
            // Another test's files come and go on the same disk meanwhile: 600 MiB written would show as a drop of about
            // that much; up to 100 MiB of drop is noise, and space freed meanwhile (seen: 204 MiB, as other tests removed
            // their files) is not a write of ours.
            var drop = freeBefore - await EngineDiskFreeAsync();
            Assert.True(drop < 100L << 20, $"the engine's disk lost {drop >> 20} MiB during the write");
        }
    }

    [Theory]
    [InlineData("runc")]
    [InlineData("runsc")]
    public async Task Tmp_AMillionSmallFiles_CutOffByTheInodeBoundOrTheMemoryLimit(string runtime)
    {
        // The job's own command (the runner runs the submission), as a grader's would be. `true`, not `:`: a failed
        // redirection ends the shell on a special builtin.
        var since = DateTimeOffset.UtcNow.AddSeconds(-1).ToUnixTimeMilliseconds() * 1_000_000;
        var (harness, id) = await StartAsync(runtime, new { tmp_mb = TmpMb, memory_mb = 32 },
            "cd /tmp && i=0; while [ $i -lt 1000000 ] && true > f$i 2>/dev/null; do i=$((i+1)); done; echo files=$i\n");
        await using (harness)
        {
            var exit = await harness.Docker.WaitContainerAsync(id);
            var stdout = System.Text.Encoding.UTF8.GetString((await harness.Docker.GetLogsAsync(id, 4096)).Stdout).Trim();
            if (runtime == "runc")
            {
                Assert.True(exit == 0 && stdout.StartsWith("files=", StringComparison.Ordinal), $"exit {exit}: {stdout}");
                var files = int.Parse(stdout["files=".Length..], System.Globalization.CultureInfo.InvariantCulture);
                Assert.InRange(files, Inodes - 10, Inodes); // the root directory and the exercise take inodes too
            }
            else
            {
                // gVisor ignores nr_inodes and keeps every inode in its sentry's memory, inside the container's cgroup:
                // the memory limit ends it, which the Completer reports as out_of_memory (the flag or the oom event).
                var oom = await DockerEngine.OomKilledAsync(harness.Docker, id, since);
                Assert.True(oom && exit == 137, $"exit {exit} oom={oom}: {stdout}");
            }
        }
    }
}
