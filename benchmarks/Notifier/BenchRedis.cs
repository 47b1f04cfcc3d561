using System.Diagnostics;

namespace Correctomatic.Benchmarks.Notifier;

/// <summary>A private redis-server on a unix socket for the benchmark run (never the machine's shared one).</summary>
internal sealed class BenchRedis : IAsyncDisposable
{
    private readonly Process _process;

    private BenchRedis(string directory, Process process)
    {
        Directory = directory;
        _process = process;
    }

    public string Directory { get; }
    public string Url => "unix://" + SocketPath;
    public string SocketPath => Path.Combine(Directory, "redis.sock");
    public int Pid => _process.Id;

    /// <summary>Starts it without persistence, or with AOF and the given <c>appendfsync</c> (always, everysec, no).</summary>
    public static async Task<BenchRedis> StartAsync(string? appendFsync = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "ct-bench-redis-" + Guid.NewGuid().ToString("N")[..8]);
        System.IO.Directory.CreateDirectory(directory);
        var socket = Path.Combine(directory, "redis.sock");
        var psi = new ProcessStartInfo("redis-server") { UseShellExecute = false, RedirectStandardOutput = true };
        string[] persistence = appendFsync is null ? ["--appendonly", "no"] : ["--appendonly", "yes", "--appendfsync", appendFsync];
        foreach (var arg in (string[])["--port", "0", "--unixsocket", socket, "--unixsocketperm", "700", "--save", "", .. persistence, "--dir", directory])
        {
            psi.ArgumentList.Add(arg);
        }

        var process = Process.Start(psi) ?? throw new InvalidOperationException("redis-server did not start (run utils/setup.sh)");
        process.OutputDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        for (var i = 0; i < 200 && !File.Exists(socket); i++)
        {
            await Task.Delay(25);
        }

        return File.Exists(socket) ? new BenchRedis(directory, process) : throw new InvalidOperationException("redis-server did not open its socket");
    }

    public async ValueTask DisposeAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
        _process.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
