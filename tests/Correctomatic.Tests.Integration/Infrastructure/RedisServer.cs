using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Configurations;
using DotNet.Testcontainers.Containers;
using DotNet.Testcontainers.Images;

namespace Correctomatic.Tests.Integration.Infrastructure;

/// <summary>
/// A Redis for one fixture, in a Testcontainers container of the locally built <c>correctomatic/redis</c> image
/// (utils/build-images.sh; nothing is pulled). Every address is on this machine: a unix socket in a host directory
/// bind-mounted into a container on network <c>none</c>, or, for TCP (TLS, Sentinel), 127.0.0.1 through the host's network.
/// <list type="bullet">
/// <item><see cref="StartAsync()"/> without arguments leases a database of its own on one container shared by the whole
///   test process (the suite would pay a container start per fixture otherwise): isolated keys, no shared state.</item>
/// <item>With arguments (auth, TLS, persistence, restart), a container of its own that can be stopped and started again.</item>
/// </list>
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    public const string Image = "correctomatic/redis:latest";
    private const string ContainerDirectory = "/run/ct";
    private static readonly SemaphoreSlim s_sharedLock = new(1, 1);
    private static RedisServer? s_shared;
    private static int s_nextDatabase;
    private readonly IContainer _container;
    private readonly bool _isShared;

    private RedisServer(IContainer container, string directory, int port, int database, bool isShared)
    {
        _container = container;
        Directory = directory;
        Port = port;
        Database = database;
        _isShared = isShared;
    }

    /// <summary>The host directory holding the socket (bind-mounted at /run/ct in the container).</summary>
    public string Directory { get; }
    public string SocketPath => Path.Combine(Directory, "redis.sock");

    /// <summary>Loopback TCP port, 0 when the server listens on the unix socket only.</summary>
    public int Port { get; }

    /// <summary>This fixture's database (a leased one on the shared container; 0 on a container of its own).</summary>
    public int Database { get; }

    public string UnixUrl => "unix://" + SocketPath + (Database == 0 ? "" : "?db=" + Database.ToString(CultureInfo.InvariantCulture));
    public string TcpUrl => Port > 0 ? $"redis://127.0.0.1:{Port}" : throw new InvalidOperationException("started without TCP");

    /// <summary>A database of its own on the process's shared Redis container.</summary>
    public static async Task<RedisServer> StartAsync()
    {
        await s_sharedLock.WaitAsync();
        try
        {
            // 1000 databases: one per fixture of the suite, never reused, so none needs flushing.
            s_shared ??= await StartContainerAsync(tcp: false, shared: true, ["--databases", "1000"]);
        }
        finally
        {
            s_sharedLock.Release();
        }

        return new RedisServer(s_shared._container, s_shared.Directory, 0, Interlocked.Increment(ref s_nextDatabase), isShared: true);
    }

    /// <summary>A container of its own, with <paramref name="extraArguments"/> for redis-server; TCP on a loopback port when asked.</summary>
    public static Task<RedisServer> StartAsync(bool tcp, params string[] extraArguments) =>
        StartContainerAsync(tcp, shared: false, extraArguments);

    /// <summary>Like <see cref="StartAsync(bool, string[])"/>, with <paramref name="filesDirectory"/> mounted read-only at <see cref="FilesDirectory"/> (certificates).</summary>
    public static Task<RedisServer> StartWithFilesAsync(bool tcp, string filesDirectory, params string[] extraArguments) =>
        StartContainerAsync(tcp, shared: false, extraArguments, filesDirectory);

    public const string FilesDirectory = "/run/files";

    public static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Starts the stopped container again (same socket, same port, same files) and waits until it answers.</summary>
    public async Task StartAgainAsync()
    {
        ThrowIfShared();
        await _container.StartAsync();
        await WaitUntilAnsweringAsync(SocketPath);
    }

    /// <summary>Kills redis-server at once (no save), as a crash would; the container stays, to be started again.</summary>
    public async Task StopAsync()
    {
        ThrowIfShared();
        await TestContainers.KillAsync(_container);
        File.Delete(SocketPath);
    }

    /// <summary>Runs redis-cli against this server's database (the reference client, for checks independent of ours).</summary>
    public Task<ProcessResult> CliAsync(params string[] arguments) =>
        ProcessRunner.RunAsync(ProcessRunner.Require("redis-cli"),
            new[] { "-s", SocketPath, "-n", Database.ToString(CultureInfo.InvariantCulture) }.Concat(arguments), timeout: TimeSpan.FromSeconds(30));

    public async ValueTask DisposeAsync()
    {
        if (_isShared)
        {
            return; // the shared container goes with the process (TestContainers.SweepOnExit)
        }

        await _container.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless.
        }
    }

    private static async Task<RedisServer> StartContainerAsync(bool tcp, bool shared, string[] extraArguments, string? filesDirectory = null)
    {
        TestContainers.EnsureConfigured();
        var directory = Path.Combine(Path.GetTempPath(), "ct-redis-" + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(directory);
        // The image's redis user creates the socket here; the tests connect as root.
        File.SetUnixFileMode(directory, (UnixFileMode)0x1FF);
        var port = tcp ? FreeTcpPort() : 0;
        string[] command =
        [
            "redis-server", "--bind", "127.0.0.1", "--port", tcp ? port.ToString(CultureInfo.InvariantCulture) : "6379",
            "--unixsocket", ContainerDirectory + "/redis.sock", "--unixsocketperm", "777", "--save", "", "--appendonly", "no",
            "--dir", "/var/lib/redis", .. extraArguments,
        ];
        // Not Testcontainers.Redis's RedisBuilder: its readiness check waits on the published port 6379, and these
        // containers publish none. Readiness is PING on the socket, from the host (below): it also covers requirepass.
        var container = TestContainers.Configure(new ContainerBuilder(Image), networkMode: tcp ? "host" : "none")
                .WithCommand(command).WithBindMount(directory, ContainerDirectory)
                .WithBindMount(filesDirectory ?? directory, FilesDirectory, filesDirectory is null ? AccessMode.ReadWrite : AccessMode.ReadOnly).Build();
        await container.StartAsync();
        var server = new RedisServer(container, directory, port, 0, shared);
        await WaitUntilAnsweringAsync(server.SocketPath);
        return server;
    }

    private void ThrowIfShared()
    {
        if (_isShared)
        {
            throw new InvalidOperationException("the shared Redis cannot be stopped; start one of its own with StartAsync(tcp, args)");
        }
    }

    private static async Task WaitUntilAnsweringAsync(string socketPath)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (TimeProvider.System.GetElapsedTime(started) < TimeSpan.FromSeconds(30))
        {
            if (File.Exists(socketPath) && await PingAsync(socketPath))
            {
                return;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"redis-server did not answer PING on {socketPath} within 30 s");
    }

    private static async Task<bool> PingAsync(string socketPath)
    {
        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath));
            await socket.SendAsync("PING\r\n"u8.ToArray());
            var buffer = new byte[16];
            var read = await socket.ReceiveAsync(buffer);
            // A server with requirepass answers -NOAUTH: it is up all the same. -LOADING: not yet.
            return (read >= 5 && buffer[0] == (byte)'+') || (read >= 7 && buffer.AsSpan(0, 7).SequenceEqual("-NOAUTH"u8));
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
