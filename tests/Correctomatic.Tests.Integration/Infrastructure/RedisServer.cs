using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Correctomatic.Tests.Integration.Infrastructure;

/// <summary>
/// A private redis-server for one fixture (issue #2: tests never share state): a unix socket in its own directory,
/// and a loopback TCP port when asked. Can be stopped and started again on the same addresses (restart tests).
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly string[] _extraArguments;
    private Process? _process;

    private RedisServer(string directory, int port, string[] extraArguments)
    {
        Directory = directory;
        Port = port;
        _extraArguments = extraArguments;
    }

    public string Directory { get; }
    public string SocketPath => Path.Combine(Directory, "redis.sock");

    /// <summary>Loopback TCP port, 0 when the server listens on the unix socket only.</summary>
    public int Port { get; }

    public string UnixUrl => "unix://" + SocketPath;
    public string TcpUrl => Port > 0 ? $"redis://127.0.0.1:{Port}" : throw new InvalidOperationException("started without TCP");

    public static async Task<RedisServer> StartAsync(bool tcp = false, params string[] extraArguments)
    {
        var directory = Path.Combine(Path.GetTempPath(), "ct-redis-" + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(directory);
        var server = new RedisServer(directory, tcp ? FreeTcpPort() : 0, extraArguments);
        await server.StartAgainAsync();
        return server;
    }

    public static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Starts the server (again) and waits until it answers PING.</summary>
    public async Task StartAgainAsync()
    {
        var psi = new ProcessStartInfo(ProcessRunner.Require("redis-server"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
                 {
                     "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
                     "--unixsocket", SocketPath, "--unixsocketperm", "700", "--save", "", "--appendonly", "no",
                     "--dir", Directory, "--daemonize", "no", "--loglevel", "warning",
                 }.Concat(_extraArguments))
        {
            psi.ArgumentList.Add(arg);
        }

        _process = Process.Start(psi) ?? throw new InvalidOperationException("redis-server did not start");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"redis-server exited at start with code {_process.ExitCode}");
            }

            if (File.Exists(SocketPath) && await PingAsync())
            {
                return;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException("redis-server did not answer PING within 10 s");
    }

    /// <summary>Kills the server at once (no save), as a crash would.</summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        _process = null;
        File.Delete(SocketPath);
    }

    /// <summary>Runs redis-cli against this server (the reference client, for checks independent of ours).</summary>
    public Task<ProcessResult> CliAsync(params string[] arguments) =>
        ProcessRunner.RunAsync(ProcessRunner.Require("redis-cli"), new[] { "-s", SocketPath }.Concat(arguments), timeout: TimeSpan.FromSeconds(30));

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless.
        }
    }

    private async Task<bool> PingAsync()
    {
        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(SocketPath));
            await socket.SendAsync("PING\r\n"u8.ToArray());
            var buffer = new byte[16];
            var read = await socket.ReceiveAsync(buffer);
            // A server with requirepass answers -NOAUTH: it is up all the same.
            return (read >= 5 && buffer[0] == (byte)'+') || (read >= 7 && buffer.AsSpan(0, 7).SequenceEqual("-NOAUTH"u8));
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
