using System.Net.Sockets;

namespace Correctomatic.Tests.Integration.Docker;

/// <summary>
/// A tiny unix-socket proxy in front of the real engine, so a test can drop connections the way a restarting engine
/// or a flaky network would: <see cref="Cut"/> closes every open connection and refuses new ones until <see cref="Resume"/>.
/// </summary>
public sealed class UnixSocketProxy : IAsyncDisposable
{
    private readonly string _target;
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Socket> _open = [];
    private readonly Task _acceptLoop;
    private volatile bool _cut;

    private UnixSocketProxy(string path, string target)
    {
        Path = path;
        _target = target;
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(path));
        _listener.Listen(64);
        _acceptLoop = AcceptLoopAsync();
    }

    public string Path { get; }

    public string DockerHost => "unix://" + Path;

    public int ConnectionsAccepted { get; private set; }

    public static UnixSocketProxy Start(string targetSocket) =>
        new(System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"ct-proxy-{Guid.NewGuid():N}.sock"), targetSocket);

    /// <summary>Closes every open connection; new ones are closed at once until <see cref="Resume"/>.</summary>
    public void Cut()
    {
        _cut = true;
        lock (_open)
        {
            foreach (var s in _open)
            {
                s.Dispose();
            }

            _open.Clear();
        }
    }

    public void Resume() => _cut = false;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        Cut();
        try
        {
            await _acceptLoop;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // The listener was closed under the accept: that is how the loop ends.
        }

        File.Delete(Path);
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptAsync(_stop.Token);
            if (_cut)
            {
                client.Dispose();
                continue;
            }

            ConnectionsAccepted++;
            var upstream = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await upstream.ConnectAsync(new UnixDomainSocketEndPoint(_target), _stop.Token);
            lock (_open)
            {
                _open.Add(client);
                _open.Add(upstream);
            }

            _ = PumpAsync(client, upstream);
            _ = PumpAsync(upstream, client);
        }
    }

    /// <summary>Copies one direction until either side closes; then closes both (failures here are the point of the proxy).</summary>
    private static async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await from.ReceiveAsync(buffer)) > 0)
            {
                await to.SendAsync(buffer.AsMemory(0, read));
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Cut by the test or closed by the other side.
        }
        finally
        {
            from.Dispose();
            to.Dispose();
        }
    }
}
