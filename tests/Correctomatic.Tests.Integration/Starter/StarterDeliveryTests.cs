using System.Security.Cryptography;
using System.Text.Json;
using Correctomatic.Shared.Contracts;
using Correctomatic.Starter;

namespace Correctomatic.Tests.Integration.Starter;

/// <summary>
/// The file on stdin into the tmpfs /tmp (issue #14), seen from inside the container with the docker CLI: every byte
/// value, empty, the maximum size; images with ENTRYPOINT and CMD, CMD only, a non-root USER, a /tmp of 0755, no /bin/sh;
/// the file's owner and mode. The binary file runs under runc and gVisor.
/// </summary>
public sealed class StarterDeliveryTests(DeliveryImages images) : IClassFixture<DeliveryImages>
{
    private const int MaxFileBytes = 10 * 1024 * 1024;
    private const string OwnerAndMode = "stat -c '%u %g %a' /tmp/exercise";

    private async Task<(StarterHarness Harness, string ContainerId)> StartAsync(string image, byte[] file, string runtime = "runc")
    {
        var harness = await StarterHarness.CreateAsync(images.Starter, new Dictionary<string, string>
        {
            ["MAX_FILE_BYTES"] = MaxFileBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["CONTAINER_RUNTIME"] = runtime,
        });
        await harness.StartWorkerAsync();
        await harness.PushAsync(JsonSerializer.Serialize(new { image, callback = "http://lms.local/cb", file_content = Convert.ToBase64String(file) }));
        var running = await harness.WaitForAsync(harness.Streams.Running, timeout: TimeSpan.FromSeconds(60));
        return (harness, ContractJson.Deserialize<RunningJob>(Assert.Single(running).Field(StreamFields.Data)!).ContainerId);
    }

    [Fact]
    public async Task Deliver_StdinNeverClosed_WrapperReadsTheFilesBytesAndRunsTheImage()
    {
        // A dockerd stopped with live-restore between the write and the close never passes the close on (issue #15):
        // the container's stdin stays open. The wrapper reads exactly the file's bytes, so the grader runs all the same.
        var harness = await StarterHarness.CreateAsync(images.Starter);
        await using (harness)
        {
            var seen = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            await harness.StartWorkerAsync(new StarterHooks
            {
                BeforeStdinClose = async (_, containerId, cancellationToken) =>
                {
                    using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    bound.CancelAfter(TimeSpan.FromSeconds(30));
                    var state = (await harness.Docker.InspectContainerAsync(containerId, bound.Token)).State;
                    while (state.Status != "exited" && !bound.IsCancellationRequested)
                    {
                        await Task.Delay(100, CancellationToken.None);
                        state = (await harness.Docker.InspectContainerAsync(containerId, CancellationToken.None)).State;
                    }

                    var logs = await harness.Docker.GetLogsAsync(containerId, 4096, CancellationToken.None);
                    seen.TrySetResult($"{state.Status} {state.ExitCode} {System.Text.Encoding.UTF8.GetString(logs.Stdout).Trim()}");
                },
            });
            await harness.PushAsync(JsonSerializer.Serialize(new
            {
                image = images.Runner, callback = "http://lms.local/cb", file_content = Convert.ToBase64String("echo graded\n"u8.ToArray()),
            }));

            Assert.Equal("exited 0 graded", await seen.Task.WaitAsync(TimeSpan.FromSeconds(60)));
        }
    }

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    [Theory]
    [InlineData("runc")]
    [InlineData("runsc")]
    public async Task Deliver_EveryByteValue_ArrivesWholeOwnedByTheImagesUser(string runtime)
    {
        var file = Enumerable.Range(0, 256 * 16).Select(i => (byte)(i % 256)).ToArray();
        var (harness, id) = await StartAsync(images.Sleeper, file, runtime);
        await using (harness)
        {
            // busybox's USER is the name grader: the wrapper's cat runs as it, so the file is its own (uid 1000), 0644.
            Assert.Equal($"{Sha256(file)}  /tmp/exercise", await StarterHarness.ExecAsync(id, "sha256sum", "/tmp/exercise"));
            Assert.Equal("1000 1000 644", await StarterHarness.ExecAsync(id, "sh", "-c", OwnerAndMode));
            Assert.Equal("1777 0", await StarterHarness.ExecAsync(id, "stat", "-c", "%a %u", "/tmp"));
        }
    }

    [Fact]
    public async Task Deliver_SpawnerImage_FileIsRootsAndReadableByAll()
    {
        // PID 1 of a spawner starts as root without CAP_CHOWN: the wrapper's file stays root's, 0644, which the grader
        // (uid 1000) reads and copies for the submission (images/README.md). The submission sleeps, so it can be looked at.
        var (harness, id) = await StartAsync(Infrastructure.DockerEngine.ShellGraderImage, "sleep 30\n"u8.ToArray());
        await using (harness)
        {
            Assert.Equal("0 0 644 1777", await StarterHarness.ExecAsync(id, "sh", "-c", "echo $(" + OwnerAndMode + ") $(stat -c %a /tmp)"));
        }
    }

    [Fact]
    public async Task Deliver_EmptyFile_ArrivesEmpty()
    {
        var (harness, id) = await StartAsync(images.Sleeper, []);
        await using (harness)
        {
            Assert.Equal("0", await StarterHarness.ExecAsync(id, "sh", "-c", "wc -c < /tmp/exercise"));
        }
    }

    [Fact]
    public async Task Deliver_FileOfTheMaximumSize_ArrivesWhole()
    {
        var file = RandomNumberGenerator.GetBytes(MaxFileBytes);
        var (harness, id) = await StartAsync(images.Sleeper, file);
        await using (harness)
        {
            Assert.Equal($"{Sha256(file)}  /tmp/exercise", await StarterHarness.ExecAsync(id, "sha256sum", "/tmp/exercise"));
        }
    }

    [Fact]
    public async Task Deliver_ImageWithEntrypointAndCmd_RunsBothAfterTheFile()
    {
        var (harness, id) = await StartAsync(images.EntrypointAndCmd, "x"u8.ToArray());
        await using (harness)
        {
            Assert.Equal("a|b c x", await StarterHarness.ExecAsync(id, "sh", "-c", "echo $(cat /tmp/ran) $(cat /tmp/exercise)"));
        }
    }

    [Fact]
    public async Task Deliver_ImageWithCmdOnly_RunsItAfterTheFile()
    {
        var (harness, id) = await StartAsync(images.CmdOnly, "x"u8.ToArray());
        await using (harness)
        {
            Assert.Equal("cmd-only x", await StarterHarness.ExecAsync(id, "sh", "-c", "echo $(cat /tmp/ran) $(cat /tmp/exercise)"));
        }
    }

    [Fact]
    public async Task Deliver_NumericNonRootUser_OwnsTheFile0644()
    {
        var (harness, id) = await StartAsync(images.NumericUser, "x"u8.ToArray());
        await using (harness)
        {
            Assert.Equal("4321 4321 4321 644", await StarterHarness.ExecAsync(id, "sh", "-c", "echo $(id -u) $(" + OwnerAndMode + ")"));
        }
    }

    [Fact]
    public async Task Deliver_ImageTmpIs0755_TmpfsGivenToTheUserAndOpened()
    {
        // runc sets the tmpfs back to the image's 0755; the mount is the user's (uid=1000), and the wrapper opens it again.
        var (harness, id) = await StartAsync(images.Tmp0755, "x"u8.ToArray());
        await using (harness)
        {
            Assert.Equal("1777 1000 1000 1000 644", await StarterHarness.ExecAsync(id, "sh", "-c", "echo $(stat -c '%a %u' /tmp) $(" + OwnerAndMode + ")"));
        }
    }

    [Fact]
    public async Task Deliver_ImageTmpIs0755AndUserIsANameOnly_ClearFailureNotAHang()
    {
        // An uid the Starter cannot know (the name is in the image's /etc/passwd): the wrapper cannot write /tmp/exercise,
        // says so on stderr and stops with 125, which the Completer reports with that stderr tail.
        var (harness, id) = await StartAsync(images.Tmp0755NamedUser, "x"u8.ToArray());
        await using (harness)
        {
            Assert.Equal(125, await harness.Docker.WaitContainerAsync(id));
            var logs = await harness.Docker.GetLogsAsync(id, 64 * 1024);
            Assert.Contains("correctomatic: the submission could not be written to /tmp/exercise", System.Text.Encoding.UTF8.GetString(logs.Stderr), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Deliver_ImageWithoutShell_ArchivePathStillDelivers()
    {
        var (harness, id) = await StartAsync(images.NoShell, "no shell here"u8.ToArray());
        await using (harness)
        {
            Assert.Equal("no shell here", await StarterHarness.ExecAsync(id, "/busybox", "cat", "/tmp/exercise"));
            Assert.Equal("1000 1000 644", await StarterHarness.ExecAsync(id, "/busybox", "stat", "-c", "%u %g %a", "/tmp/exercise"));
        }
    }

    [Fact]
    public async Task Deliver_FileLargerThanTheJobsTmp_Rejected()
    {
        await using var harness = await StarterHarness.CreateAsync(images.Starter, new Dictionary<string, string> { ["MAX_FILE_BYTES"] = "2097152" });
        await harness.StartWorkerAsync();
        var jobId = await harness.PushAsync(JsonSerializer.Serialize(new
        {
            image = images.Sleeper,
            callback = "http://a.local/cb",
            file_content = Convert.ToBase64String(new byte[(1024 * 1024) + 1]),
            limits = new { tmp_mb = 1 },
        }));

        await StarterPipelineTests.AssertRejectedAsync(harness, jobId, "larger than the job's /tmp of 1 MiB (tmp_mb)");
    }
}
