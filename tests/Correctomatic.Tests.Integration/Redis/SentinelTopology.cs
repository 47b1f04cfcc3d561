using System.Globalization;
using System.Net.Sockets;
using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Containers;

namespace Correctomatic.Tests.Integration.Redis;

/// <summary>
/// A primary, a replica and three sentinels (service <c>mymaster</c>, quorum 2), each a Testcontainers container of
/// correctomatic/redis. They share the host's network and listen on 127.0.0.1 only, so every address the sentinels
/// hand out is on loopback (no docker0 here, and no test traffic leaves this machine's loopback).
/// </summary>
public sealed class SentinelTopology : IAsyncDisposable
{
    public const string Service = "mymaster";
    private readonly List<IContainer> _containers = [];
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "ct-sentinel-" + Guid.NewGuid().ToString("N")[..8]);

    private SentinelTopology()
    {
    }

    public int PrimaryPort { get; private set; }
    public int ReplicaPort { get; private set; }
    public IReadOnlyList<int> SentinelPorts { get; private set; } = [];
    public IContainer Primary => _containers[0];

    public string SentinelUrl => "redis+sentinel://" + string.Join(',', SentinelPorts.Select(p => $"127.0.0.1:{p}")) + "/" + Service;

    public static async Task<SentinelTopology> StartAsync()
    {
        var topology = new SentinelTopology();
        Directory.CreateDirectory(topology._directory);
        File.SetUnixFileMode(topology._directory, (UnixFileMode)0x1FF);
        topology.PrimaryPort = RedisServer.FreeTcpPort();
        topology.ReplicaPort = RedisServer.FreeTcpPort();
        topology.SentinelPorts = [RedisServer.FreeTcpPort(), RedisServer.FreeTcpPort(), RedisServer.FreeTcpPort()];
        await topology.StartAsync(topology.PrimaryPort, "redis-server", "--port", Text(topology.PrimaryPort), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no");
        await topology.StartAsync(topology.ReplicaPort, "redis-server", "--port", Text(topology.ReplicaPort), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
            "--replicaof", "127.0.0.1", Text(topology.PrimaryPort));
        foreach (var port in topology.SentinelPorts)
        {
            // Sentinel rewrites its configuration file: one writable file each, in the shared mounted directory.
            var config = Path.Combine(topology._directory, $"sentinel-{port}.conf");
            await File.WriteAllTextAsync(config, string.Join('\n',
                $"port {port}", "bind 127.0.0.1", $"sentinel monitor {Service} 127.0.0.1 {topology.PrimaryPort} 2",
                $"sentinel down-after-milliseconds {Service} 1000", $"sentinel failover-timeout {Service} 10000",
                $"sentinel parallel-syncs {Service} 1", ""));
            File.SetUnixFileMode(config, (UnixFileMode)0x1B6);
            await topology.StartAsync(port, "redis-server", "/run/ct/" + Path.GetFileName(config), "--sentinel");
        }

        return topology;
    }

    /// <summary>Starts the (killed) first primary again on its port; Sentinel then reconfigures it as a replica.</summary>
    public async Task StartPrimaryAgainAsync()
    {
        await Primary.StartAsync();
        await WaitForPingAsync(PrimaryPort);
    }

    /// <summary>Runs redis-cli against 127.0.0.1:<paramref name="port"/>.</summary>
    public static Task<ProcessResult> CliAsync(int port, params string[] arguments) =>
        ProcessRunner.RunAsync(ProcessRunner.Require("redis-cli"), new[] { "-h", "127.0.0.1", "-p", Text(port) }.Concat(arguments),
            timeout: TimeSpan.FromSeconds(10));

    public async ValueTask DisposeAsync()
    {
        foreach (var container in _containers)
        {
            await container.DisposeAsync();
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless.
        }
    }

    private async Task StartAsync(int port, params string[] command)
    {
        var container = TestContainers.Configure(new ContainerBuilder(RedisServer.Image), networkMode: "host")
            .WithCommand(command).WithBindMount(_directory, "/run/ct").Build();
        _containers.Add(container);
        await container.StartAsync();
        await WaitForPingAsync(port);
    }

    private static async Task WaitForPingAsync(int port)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (!await PingAsync(port))
        {
            Assert.True(TimeProvider.System.GetElapsedTime(started) < TimeSpan.FromSeconds(30), $"nothing answers PING on 127.0.0.1:{port}");
            await Task.Delay(20);
        }
    }

    private static async Task<bool> PingAsync(int port)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", port);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray());
            var buffer = new byte[7];
            return await stream.ReadAsync(buffer) >= 5 && buffer[0] == (byte)'+';
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static string Text(int port) => port.ToString(CultureInfo.InvariantCulture);
}
