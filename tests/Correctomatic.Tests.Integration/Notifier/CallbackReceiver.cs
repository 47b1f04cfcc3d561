using System.Collections.Concurrent;
using System.Net;
using Correctomatic.Shared.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Correctomatic.Tests.Integration.Notifier;

/// <summary>
/// A real HTTP receiver (Kestrel on 127.0.0.1) for callbacks. Per path, answers follow a script (a status code, or
/// <see cref="Hang"/>: never answer), then 200. Can stop and start again on the same port (receiver-down tests).
/// </summary>
public sealed class CallbackReceiver : IAsyncDisposable
{
    /// <summary>A scripted answer: hold the request until the receiver stops.</summary>
    public const int Hang = -1;

    private readonly ConcurrentDictionary<string, ConcurrentQueue<int>> _scripts = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<ReceivedCallback> _received = new();
    private readonly SemaphoreSlim _arrived = new(0);
    private CancellationTokenSource _hangs = new();
    private WebApplication? _app;

    private CallbackReceiver(int port) => Port = port;

    public int Port { get; }

    public IReadOnlyCollection<ReceivedCallback> Received => _received;

    public Uri Url(string path) => new($"http://127.0.0.1:{Port}/{path.TrimStart('/')}");

    public static async Task<CallbackReceiver> StartAsync(int port = 0)
    {
        var receiver = new CallbackReceiver(port == 0 ? Infrastructure.RedisServer.FreeTcpPort() : port);
        await receiver.StartAgainAsync();
        return receiver;
    }

    /// <summary>The next answers for <paramref name="path"/>, in order; afterwards 200.</summary>
    public void Script(string path, params int[] answers)
    {
        var script = _scripts.GetOrAdd("/" + path.TrimStart('/'), _ => new ConcurrentQueue<int>());
        foreach (var answer in answers)
        {
            script.Enqueue(answer);
        }
    }

    public async Task StartAgainAsync()
    {
        _hangs = new CancellationTokenSource();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, Port));
        var app = builder.Build();
        app.Run(HandleAsync);
        await app.StartAsync();
        _app = app;
    }

    public async Task StopAsync()
    {
        if (_app is { } app)
        {
            await _hangs.CancelAsync();
            using var stopWithin = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await app.StopAsync(stopWithin.Token);
            await app.DisposeAsync();
            _app = null;
        }
    }

    /// <summary>Waits until <paramref name="count"/> requests in all have arrived on <paramref name="path"/> (or anywhere when null).</summary>
    public async Task<IReadOnlyList<ReceivedCallback>> WaitForAsync(int count, string? path = null, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var matching = _received.Where(r => path is null || r.Path == "/" + path.TrimStart('/')).ToList();
            if (matching.Count >= count)
            {
                return matching;
            }

            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"expected {count} callbacks on {path ?? "any path"}, got {matching.Count}");
            }

            await _arrived.WaitAsync(left < TimeSpan.FromMilliseconds(200) ? left : TimeSpan.FromMilliseconds(200));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _arrived.Dispose();
        _hangs.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        var path = context.Request.Path.Value ?? "/";
        var status = _scripts.TryGetValue(path, out var script) && script.TryDequeue(out var next) ? next : 200;
        var headers = context.Request.Headers;
        _received.Enqueue(new ReceivedCallback(path, context.Request.ContentType, headers[CallbackHeaders.IdempotencyKey].ToString(),
            headers[CallbackHeaders.Signature].ToString(), headers[CallbackHeaders.Attempt].ToString(), buffer.ToArray(),
            DateTimeOffset.UtcNow, status));
        _arrived.Release();
        if (status == Hang)
        {
            try
            {
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(_hangs.Token, context.RequestAborted);
                await Task.Delay(Timeout.Infinite, linked.Token);
            }
            catch (OperationCanceledException)
            {
                context.Abort();
            }

            return;
        }

        context.Response.StatusCode = status;
        if (status is 429 or 503)
        {
            context.Response.Headers.RetryAfter = "1";
        }

        if (status is 301 or 302 or 307)
        {
            context.Response.Headers.Location = Url("redirected").ToString();
        }
    }
}
