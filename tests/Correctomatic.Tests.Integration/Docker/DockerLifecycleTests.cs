using System.Text;
using Correctomatic.Shared.Docker;

namespace Correctomatic.Tests.Integration.Docker;

/// <summary>The whole life of a grader container through our client, against the real engine (issue #4).</summary>
public sealed class DockerLifecycleTests
{
    [Fact]
    public async Task Lifecycle_CreateArchiveStartWaitLogsRemove_RoundTripsTheFile()
    {
        await using var run = await DockerTestRun.StartAsync();
        var client = run.Client;
        var content = Encoding.UTF8.GetBytes("print('hello')\n");

        var id = await client.CreateContainerAsync(run.Spec("cat /tmp/exercise; stat -c '%a %U' /tmp/exercise; echo oops >&2; exit 7") with
        {
            Name = "ct-docker-" + Guid.NewGuid().ToString("N")[..12],
        });
        await client.PutFileAsync(id, "/tmp/exercise", content, mode: 0b110_100_000, uid: 1000, gid: 1000);
        await client.StartContainerAsync(id);
        var exitCode = await client.WaitContainerAsync(id);
        var info = await client.InspectContainerAsync(id);
        var logs = await client.GetLogsAsync(id, 1024 * 1024);
        var listed = await client.ListContainersAsync([run.RunLabel]);
        await client.RemoveContainerAsync(id);
        var afterRemove = await client.ListContainersAsync([run.RunLabel]);

        Assert.Equal(7, exitCode);
        Assert.Equal("exited", info.State.Status);
        Assert.Equal(7, info.State.ExitCode);
        Assert.False(info.State.OomKilled);
        Assert.NotNull(info.State.StartedAt);
        // Not FinishedAt >= StartedAt: for a container this short the engine may record the start after the exit.
        Assert.NotNull(info.State.FinishedAt);
        Assert.Equal(run.RunLabelValue, info.Labels[DockerTestRun.RunLabelKey]);
        Assert.Equal("print('hello')\n640 grader\n", Encoding.UTF8.GetString(logs.Stdout));
        Assert.Equal("oops\n", Encoding.UTF8.GetString(logs.Stderr));
        Assert.False(logs.StdoutTruncated || logs.StderrTruncated);
        Assert.Equal(id, Assert.Single(listed).Id);
        Assert.Empty(afterRemove);
    }

    [Fact]
    public async Task PutFile_ReadOnlyRootfsWithAnonymousVolumeAtTmp_FileReadableAndRootfsNotWritable()
    {
        await using var run = await DockerTestRun.StartAsync();
        var spec = run.Spec("cat /tmp/exercise; touch /grader/x 2>/dev/null && echo rootfs-writable; echo done", new ContainerHostConfig
        {
            ReadonlyRootfs = true,
            Mounts = [new ContainerMount("volume", "/tmp")],
        });

        var id = await run.Client.CreateContainerAsync(spec);
        await run.Client.PutFileAsync(id, "/tmp/exercise", "answer 42\n"u8.ToArray(), uid: 1000, gid: 1000);
        await run.Client.StartContainerAsync(id);
        var exitCode = await run.Client.WaitContainerAsync(id);
        var logs = await run.Client.GetLogsAsync(id, 4096);

        Assert.Equal(0, exitCode);
        Assert.Equal("answer 42\ndone\n", Encoding.UTF8.GetString(logs.Stdout));
    }

    [Fact]
    public async Task PutFile_ReadOnlyRootfsWithoutVolume_ThrowsWithTheEngineMessage()
    {
        await using var run = await DockerTestRun.StartAsync();
        var id = await run.Client.CreateContainerAsync(run.Spec("true", new ContainerHostConfig { ReadonlyRootfs = true }));

        var ex = await Assert.ThrowsAsync<DockerApiException>(() => run.Client.PutFileAsync(id, "/tmp/exercise", "x"u8.ToArray()));

        Assert.Contains("read-only", ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task GetLogs_InterleavedStdoutAndStderr_DemultipliesEachInOrder()
    {
        await using var run = await DockerTestRun.StartAsync();
        var (id, exitCode) = await run.RunAsync(run.Spec("i=1; while [ $i -le 300 ]; do echo out$i; echo err$i >&2; i=$((i+1)); done"));

        var logs = await run.Client.GetLogsAsync(id, 1024 * 1024);

        Assert.Equal(0, exitCode);
        Assert.Equal(string.Concat(Enumerable.Range(1, 300).Select(i => $"out{i}\n")), Encoding.UTF8.GetString(logs.Stdout));
        Assert.Equal(string.Concat(Enumerable.Range(1, 300).Select(i => $"err{i}\n")), Encoding.UTF8.GetString(logs.Stderr));
    }

    [Fact]
    public async Task GetLogs_SmallCapOnBothStreams_CutsEachAndReportsTruncation()
    {
        await using var run = await DockerTestRun.StartAsync();
        var (id, _) = await run.RunAsync(run.Spec("i=1; while [ $i -le 100 ]; do echo out$i; echo err$i >&2; i=$((i+1)); done"));

        var logs = await run.Client.GetLogsAsync(id, 10);

        Assert.Equal("out1\nout2\n", Encoding.UTF8.GetString(logs.Stdout));
        Assert.Equal("err1\nerr2\n", Encoding.UTF8.GetString(logs.Stderr));
        Assert.True(logs.StdoutTruncated);
        Assert.True(logs.StderrTruncated);
    }

    [Fact]
    public async Task AttachStdin_BeforeStart_ContainerReadsTheBytesToEndOfFile()
    {
        await using var run = await DockerTestRun.StartAsync();
        var content = new byte[300_000]; // more than a pipe buffer: the container must be reading while we write
        new Random(12).NextBytes(content);
        var id = await run.Client.CreateContainerAsync(run.Spec("cat > /tmp/x; wc -c < /tmp/x; sha256sum < /tmp/x") with { OpenStdin = true });

        var stdin = await run.Client.AttachStdinAsync(id);
        await run.Client.StartContainerAsync(id);
        await using (stdin)
        {
            await stdin.WriteAsync(content);
        }

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var exitCode = await run.Client.WaitContainerAsync(id, cts.Token);
        var logs = await run.Client.GetLogsAsync(id, 4096);

        Assert.Equal(0, exitCode);
        Assert.Equal($"{content.Length}\n{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content))}  -\n", Encoding.UTF8.GetString(logs.Stdout));
    }
}
