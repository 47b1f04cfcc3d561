using System.Net;
using System.Net.Sockets;

namespace Correctomatic.Tests.Integration.Dashboard;

/// <summary>
/// A callback address that comes back: a loopback port reserved while nothing listens (so callbacks to it fail and are
/// dead-lettered), then <see cref="ForwardTo"/> opens it and pipes each connection to the real receiver.
/// </summary>
public sealed class TcpForwarder : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private TcpListener? _listener;
    private Task _accepting = Task.CompletedTask;

    public TcpForwarder()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
    }

    public int Port { get; }

    public void ForwardTo(Uri target)
    {
        _listener = new TcpListener(IPAddress.Loopback, Port);
        _listener.Start();
        _accepting = AcceptAsync(_listener, target, _stop.Token);
    }

    private static async Task AcceptAsync(TcpListener listener, Uri target, CancellationToken cancellationToken)
    {
        var connections = new List<Task>();
        try
        {
            while (true)
            {
                var client = await listener.AcceptTcpClientAsync(cancellationToken);
                connections.Add(PipeAsync(client, target, cancellationToken));
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed.
        }

        await Task.WhenAll(connections);
    }

    private static async Task PipeAsync(TcpClient client, Uri target, CancellationToken cancellationToken)
    {
        using (client)
        using (var upstream = new TcpClient())
        {
            try
            {
                await upstream.ConnectAsync(target.Host, target.Port, cancellationToken);
                var a = client.GetStream().CopyToAsync(upstream.GetStream(), cancellationToken);
                var b = upstream.GetStream().CopyToAsync(client.GetStream(), cancellationToken);
                await Task.WhenAny(a, b);
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException)
            {
                // A closed connection ends the pipe.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener?.Stop();
        await _accepting;
        _stop.Dispose();
    }
}
