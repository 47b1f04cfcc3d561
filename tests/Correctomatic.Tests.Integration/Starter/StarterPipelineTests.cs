using System.Text;
using System.Text.Json;
using Correctomatic.Shared.Contracts;
using Correctomatic.Shared.Redis;
using Correctomatic.Shared.Schemas;
using Correctomatic.Tests.Integration.Infrastructure;

namespace Correctomatic.Tests.Integration.Starter;

/// <summary>A pending job to a locked-down running container, on the real Redis server and the real Docker engine (issue #5).</summary>
public sealed class StarterPipelineTests(StarterFixture fixture) : IClassFixture<StarterFixture>
{
    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    [Fact]
    public async Task Worker_ValidJob_HandsOffToRunningWithContainerFileEnvAndLabels()
    {
        await using var harness = await StarterHarness.CreateAsync(fixture);
        await harness.StartWorkerAsync();
        var script = "sleep 30\necho hi\n";

        var jobId = await harness.PushAsync(JsonSerializer.Serialize(new
        {
            image = DockerEngine.ShellGraderImage,
            callback = "http://lms.local/cb",
            work_id = "w-42",
            file_content = B64(script),
            @params = new[] { "EXPECTED=hi", "GREETING=hello world" },
        }));

        var running = Assert.Single(await harness.WaitForAsync(harness.Streams.Running));
        var job = ContractJson.Deserialize<RunningJob>(running.Field(StreamFields.Data)!);
        Assert.Empty(SchemaCatalog.Default.Validate(SchemaName.Running, running.Field(StreamFields.Data)!));
        Assert.Equal((jobId, "w-42", harness.HostId, "http://lms.local/cb"), (job.JobId, job.WorkId, job.DockerHost, job.Callback));
        var info = await harness.Docker.InspectContainerAsync(job.ContainerId);
        Assert.True(info.State.Running, $"container state {info.State.Status}");
        Assert.Equal(ContainerLabels.ContainerName(harness.Prefix, jobId), info.Name.TrimStart('/'));
        Assert.Equal(harness.Prefix, info.Labels[ContainerLabels.Managed]);
        Assert.Equal(jobId, info.Labels[ContainerLabels.JobId]);
        Assert.Equal("w-42", info.Labels[ContainerLabels.WorkId]);
        Assert.Equal(harness.HostId, info.Labels[ContainerLabels.DockerHost]);
        Assert.Equal(job.Deadline.ToUnixTimeMilliseconds(), ContainerLabels.ParseDeadline(info.Labels[ContainerLabels.Deadline])!.Value.ToUnixTimeMilliseconds());
        Assert.Equal(script.TrimEnd(), await StarterHarness.ExecAsync(job.ContainerId, "cat", "/tmp/exercise"));
        Assert.Equal("hello world", await StarterHarness.ExecAsync(job.ContainerId, "sh", "-c", "echo \"$GREETING\""));
        Assert.Equal(0, await harness.Redis.XLenAsync(harness.Streams.Finished));
    }

    [Fact]
    public async Task Worker_FileThroughSymlinkInsideRoot_CopiedIntoContainer()
    {
        var subdir = Directory.CreateDirectory(Path.Combine(fixture.SubmissionsDir, "student-7")).FullName;
        var target = Path.Combine(subdir, "solution.sh");
        await File.WriteAllTextAsync(target, "sleep 30 # from a file\n");
        var link = Path.Combine(fixture.SubmissionsDir, "latest.sh");
        File.CreateSymbolicLink(link, target);
        await using var harness = await StarterHarness.CreateAsync(fixture);
        await harness.StartWorkerAsync();

        await harness.PushAsync(JsonSerializer.Serialize(new { image = DockerEngine.ShellGraderImage, callback = "https://lms.local/cb", file = link }));

        var running = Assert.Single(await harness.WaitForAsync(harness.Streams.Running));
        var id = ContractJson.Deserialize<RunningJob>(running.Field(StreamFields.Data)!).ContainerId;
        Assert.Equal("sleep 30 # from a file", await StarterHarness.ExecAsync(id, "cat", "/tmp/exercise"));
    }

    [Fact]
    public async Task Worker_JobWithLimits_LimitsObservableInsideContainer()
    {
        await using var harness = await StarterHarness.CreateAsync(fixture);
        await harness.StartWorkerAsync();

        await harness.PushAsync(JsonSerializer.Serialize(new
        {
            image = DockerEngine.ShellGraderImage,
            callback = "http://lms.local/cb",
            file_content = B64("sleep 30"),
            limits = new { memory_mb = 64, pids = 32, cpus = 0.5 },
        }));

        var running = Assert.Single(await harness.WaitForAsync(harness.Streams.Running));
        var id = ContractJson.Deserialize<RunningJob>(running.Field(StreamFields.Data)!).ContainerId;
        var memory = await StarterHarness.ExecAsync(id, "sh", "-c",
            "cat /sys/fs/cgroup/memory.max 2>/dev/null || cat /sys/fs/cgroup/memory/memory.limit_in_bytes");
        Assert.Equal((64L << 20).ToString(System.Globalization.CultureInfo.InvariantCulture), memory);
        Assert.Equal("lo", await StarterHarness.ExecAsync(id, "ls", "/sys/class/net"));
        // The shell grader is a spawner image (issue #13): PID 1 (and so docker exec) is root with CAP_SETUID/SETGID only;
        // the grader itself runs as uid 1000 without capabilities, the submission (sleep) as uid 1001.
        Assert.Equal("0", await StarterHarness.ExecAsync(id, "id", "-u"));
        Assert.Equal("1000 0000000000000000", await StarterHarness.ExecAsync(id, "sh", "-c",
            "for p in /proc/[0-9]*; do case \"$(tr '\\0' ' ' < $p/cmdline)\" in '/bin/sh /grader/grade.sh'*) echo $(awk '/^Uid/{print $2}' $p/status) $(awk '/^CapEff/{print $2}' $p/status); break ;; esac; done"));
        Assert.Equal("1001", await StarterHarness.ExecAsync(id, "sh", "-c",
            "for p in /proc/[0-9]*; do if grep -q '^sleep' $p/cmdline 2>/dev/null; then awk '/^Uid/{print $2}' $p/status; break; fi; done"));
        var readOnly = await DockerEngine.CliAsync("exec", id, "touch", "/etc/x");
        Assert.NotEqual(0, readOnly.ExitCode);
        Assert.Contains("Read-only file system", readOnly.Stderr, StringComparison.Ordinal);
        Assert.Equal("ok", await StarterHarness.ExecAsync(id, "sh", "-c", "echo x > /tmp/w && echo ok"));
        var caps = await StarterHarness.ExecAsync(id, "sh", "-c", "grep CapEff /proc/self/status");
        Assert.EndsWith("00000000000000c0", caps, StringComparison.Ordinal); // CAP_SETGID (6) and CAP_SETUID (7) only
        var inspect = await DockerEngine.CliAsync("inspect", "-f",
            "{{.HostConfig.NanoCpus}} {{.HostConfig.PidsLimit}} {{.HostConfig.MemorySwap}} {{.HostConfig.SecurityOpt}} {{.HostConfig.LogConfig.Config}}", id);
        Assert.Equal($"500000000 32 {64L << 20} [no-new-privileges] map[max-file:2 max-size:{Correctomatic.Starter.ContainerLogPolicy.MinMaxSizeBytes(1024 * 1024)}]", inspect.Stdout.Trim());
    }

    public static TheoryData<string, string, string> Rejections(string dir) => new()
    {
        { "schema violation", """{"image":"correctomatic/grader-shell","callback":"http://a.local/cb"}""", "schemas/pending.json" },
        { "image not allowed", """{"image":"evil/miner","callback":"http://a.local/cb","file_content":"eA=="}""", "image 'evil/miner' is not allowed" },
        { "missing file", $$"""{"image":"correctomatic/grader-shell","callback":"http://a.local/cb","file":"{{dir}}/missing.sh"}""", "does not exist" },
        { "file over the cap", $$"""{"image":"correctomatic/grader-shell","callback":"http://a.local/cb","file":"{{dir}}/big.sh"}""", "over the limit of 4096 bytes" },
        { "file outside the root", """{"image":"correctomatic/grader-shell","callback":"http://a.local/cb","file":"/etc/passwd"}""", "outside the submissions directory" },
        { "symlink escape", $$"""{"image":"correctomatic/grader-shell","callback":"http://a.local/cb","file":"{{dir}}/escape.sh"}""", "outside the submissions directory" },
        { "bad params", """{"image":"correctomatic/grader-shell","callback":"http://a.local/cb","file_content":"eA==","params":["PATH=/evil"]}""", "PATH is set by the starter" },
        { "bad param name", """{"image":"correctomatic/grader-shell","callback":"http://a.local/cb","file_content":"eA==","params":["1A=x"]}""", "params" },
        { "limits over the maximum", """{"image":"correctomatic/grader-shell","callback":"http://a.local/cb","file_content":"eA==","limits":{"memory_mb":999999}}""", "memory_mb=999999 exceeds the maximum 1024" },
    };

    [Theory]
    [InlineData("schema violation")]
    [InlineData("image not allowed")]
    [InlineData("missing file")]
    [InlineData("file over the cap")]
    [InlineData("file outside the root")]
    [InlineData("symlink escape")]
    [InlineData("bad params")]
    [InlineData("bad param name")]
    [InlineData("limits over the maximum")]
    public async Task Worker_InvalidJob_OneFinishedEntryRejectedWithMessage(string scenario)
    {
        await File.WriteAllBytesAsync(Path.Combine(fixture.SubmissionsDir, "big.sh"), new byte[5000]);
        var escape = Path.Combine(fixture.SubmissionsDir, "escape.sh");
        if (!File.Exists(escape))
        {
            File.CreateSymbolicLink(escape, "/etc/passwd");
        }

        var row = Rejections(fixture.SubmissionsDir).Single(r => (string)r[0] == scenario);
        await using var harness = await StarterHarness.CreateAsync(fixture);
        await harness.StartWorkerAsync();

        var jobId = await harness.PushAsync((string)row[1]);

        await AssertRejectedAsync(harness, jobId, (string)row[2]);
    }

    internal static async Task AssertRejectedAsync(StarterHarness harness, string jobId, string message, JobStatus status = JobStatus.Rejected)
    {
        var finished = Assert.Single(await harness.WaitForAsync(harness.Streams.Finished));
        await Task.Delay(300); // a second, duplicate hand-off would show up here
        Assert.Equal(1, await harness.Redis.XLenAsync(harness.Streams.Finished));
        Assert.Empty(SchemaCatalog.Default.Validate(SchemaName.Finished, finished.Field(StreamFields.Data)!));
        var job = ContractJson.Deserialize<FinishedJob>(finished.Field(StreamFields.Data)!);
        Assert.Empty(SchemaCatalog.Default.Validate(SchemaName.CorrectomaticResponse, ContractJson.Serialize(job.Response)));
        Assert.Equal((jobId, "http://a.local/cb", status, false), (job.JobId, job.Callback, job.Response.Status, job.Response.Success));
        Assert.Contains(message, job.Response.Error, StringComparison.Ordinal);
        Assert.Equal(0, await harness.Redis.XLenAsync(harness.Streams.Running));
        Assert.Empty(await harness.ContainersOfJobAsync(jobId));
        var pending = await harness.Redis.ExecuteAsync(["XPENDING", harness.Streams.Pending, ConsumerGroups.Starter]);
        Assert.Equal(0, pending[0].AsInt64());
    }

    [Theory]
    [InlineData("not json at all", "not valid JSON")]
    [InlineData("""{"image":"correctomatic/grader-shell","callback":"ftp://a.local/cb","file_content":"eA=="}""", "not an absolute http or https URL")]
    [InlineData("""{"image":"correctomatic/grader-shell","file_content":"eA=="}""", "no callback")]
    public async Task Worker_NoUsableCallback_OneDeadEntryWithReason(string data, string reason)
    {
        await using var harness = await StarterHarness.CreateAsync(fixture);
        await harness.StartWorkerAsync();

        var jobId = await harness.PushAsync(data);

        var dead = Assert.Single(await harness.WaitForAsync(harness.Streams.Dead));
        await Task.Delay(300);
        Assert.Equal(1, await harness.Redis.XLenAsync(harness.Streams.Dead));
        Assert.Contains(reason, dead.Field(StreamFields.Reason), StringComparison.Ordinal);
        Assert.Equal((jobId, data), (dead.Field(StreamFields.SourceId), dead.Field(StreamFields.Data)));
        Assert.Equal(0, await harness.Redis.XLenAsync(harness.Streams.Finished));
    }

    [Fact]
    public async Task Worker_MissingImageWithPullOff_FinishedWithError()
    {
        await using var harness = await StarterHarness.CreateAsync(fixture);
        await harness.StartWorkerAsync();

        var jobId = await harness.PushAsync("""{"image":"correctomatic/does-not-exist:never","callback":"http://a.local/cb","file_content":"eA=="}""");

        await AssertRejectedAsync(harness, jobId, "not on this Docker host and pulling is off", JobStatus.Error);
    }
}
