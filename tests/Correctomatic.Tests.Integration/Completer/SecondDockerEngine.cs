using System.Diagnostics;
using Correctomatic.Shared.Docker;
using Correctomatic.Tests.Integration.Infrastructure;

namespace Correctomatic.Tests.Integration.Completer;

/// <summary>
/// A second dockerd on this machine (issue #6: two Docker hosts, one Redis): its own socket, data root, exec root and
/// pid file, no bridge and no iptables rules, so it disturbs nothing of the main engine. Stopped and deleted at the end.
/// </summary>
internal sealed class SecondDockerEngine : IAsyncDisposable
{
    private Process _process;

    private SecondDockerEngine(string directory, Process process, bool liveRestore)
    {
        Directory = directory;
        _process = process;
        LiveRestore = liveRestore;
    }

    /// <summary>Started with <c>--live-restore</c>: a restart leaves its containers running (issue #15).</summary>
    public bool LiveRestore { get; }

    public string Directory { get; }
    public string Host => "unix://" + Path.Combine(Directory, "docker.sock");

    public static async Task<SecondDockerEngine> StartAsync(bool liveRestore = false)
    {
        await DockerEngine.RequireAsync();
        // Short: a unix socket path must fit in 108 bytes.
        var directory = Path.Combine("/tmp", "ctd-" + Guid.NewGuid().ToString("N")[..10]);
        System.IO.Directory.CreateDirectory(directory);
        var engine = new SecondDockerEngine(directory, StartProcess(directory, liveRestore), liveRestore);
        try
        {
            await engine.WaitForPingAsync();
            var load = await ProcessRunner.RunAsync("/bin/sh",
                ["-c", $"docker save {DockerEngine.BusyboxImage} | docker -H {engine.Host} load"], timeout: TimeSpan.FromMinutes(1));
            Assert.True(load.ExitCode == 0, "loading the image into the second engine: " + load.Describe());
            return engine;
        }
        catch
        {
            await engine.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Stops this dockerd as an upgrade or a crash-restart would (SIGTERM: without live-restore it stops its containers
    /// first, with it it leaves them running) and starts it again on the same directories; returns once it answers.
    /// <paramref name="whileStopped"/> runs between the two.
    /// </summary>
    public async Task RestartAsync(Func<Task>? whileStopped = null)
    {
        await StopAsync();
        if (whileStopped is not null)
        {
            await whileStopped();
        }

        _process.Dispose();
        _process = StartProcess(Directory, LiveRestore);
        await WaitForPingAsync();
    }

    private static string WriteConfig(string directory)
    {
        var path = Path.Combine(directory, "daemon.json");
        File.WriteAllText(path, "{}");
        return path;
    }

    private static Process StartProcess(string directory, bool liveRestore)
    {
        var psi = new ProcessStartInfo(ProcessRunner.Require("dockerd"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
                 {
                     "-H", "unix://" + Path.Combine(directory, "docker.sock"), "--data-root", Path.Combine(directory, "data"),
                     "--exec-root", Path.Combine(directory, "exec"), "--pidfile", Path.Combine(directory, "docker.pid"),
                     "--bridge=none", "--iptables=false",
                     // A config file of its own: the machine's /etc/docker/daemon.json (live-restore since utils/setup.sh
                     // sets it, issue #15) would give the "without live-restore" engine live-restore, and clash with the flag.
                     "--config-file", WriteConfig(directory),
                 })
        {
            psi.ArgumentList.Add(argument);
        }

        if (liveRestore)
        {
            psi.ArgumentList.Add("--live-restore");
        }

        var process = Process.Start(psi) ?? throw new InvalidOperationException("dockerd did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private async Task WaitForPingAsync()
    {
        using var client = DockerClient.Create(Host);
        var until = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                await client.PingAsync();
                return;
            }
            catch (DockerUnreachableException) when (DateTime.UtcNow < until && !_process.HasExited)
            {
                await Task.Delay(100);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (LiveRestore)
        {
            // Live-restore leaves containers (and their shims) running when dockerd stops: remove ours first.
            await ProcessRunner.RunAsync("/bin/sh", ["-c", $"docker -H {Host} ps -aq | xargs -r docker -H {Host} rm -f"], timeout: TimeSpan.FromMinutes(1));
        }

        await StopAsync();
        _process.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A mount still busy: a leftover temp directory is harmless.
        }
    }

    private async Task StopAsync()
    {
        if (!_process.HasExited)
        {
            // SIGTERM: dockerd stops its containerd and unmounts; KILL only if it hangs.
            using (Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) { }
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(40)); // without live-restore it first stops its containers (10 s each at most)
            try
            {
                await _process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
    }
}
