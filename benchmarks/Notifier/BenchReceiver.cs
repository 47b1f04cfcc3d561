using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Correctomatic.Shared.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Correctomatic.Benchmarks.Notifier;

/// <summary>
/// A Kestrel receiver on 127.0.0.1 that notes when each callback arrives. The entry→receipt latency comes from the job id,
/// which starts with the time the benchmark added the entry (same machine clock), carried back as the Idempotency-Key.
/// </summary>
internal sealed class BenchReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, long> _receivedAtMs = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(string Signature, byte[] Body)> _samples = new();

    private BenchReceiver(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }
    public int Count => _receivedAtMs.Count;
    public int Duplicates;
    public IReadOnlyDictionary<string, long> ReceivedAtMs => _receivedAtMs;
    public IEnumerable<(string Signature, byte[] Body)> Samples => _samples;

    public static async Task<BenchReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        int port;
        using (var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        BenchReceiver? self = null;
        app.Run(async context =>
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer);
            var key = context.Request.Headers[CallbackHeaders.IdempotencyKey].ToString();
            if (!self!._receivedAtMs.TryAdd(key, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()))
            {
                Interlocked.Increment(ref self.Duplicates);
            }

            if (self._samples.Count < 100)
            {
                self._samples.Enqueue((context.Request.Headers[CallbackHeaders.Signature].ToString(), buffer.ToArray()));
            }

            context.Response.StatusCode = 204;
        });
        await app.StartAsync();
        self = new BenchReceiver(app, port);
        return self;
    }

    /// <summary>Milliseconds from adding the entry (the job id's time part) to receipt, for the given job ids.</summary>
    public List<long> Latencies(IEnumerable<string> jobIds) =>
        jobIds.Where(_receivedAtMs.ContainsKey)
            .Select(id => _receivedAtMs[id] - long.Parse(id.AsSpan(0, id.IndexOf('-', StringComparison.Ordinal)), CultureInfo.InvariantCulture))
            .ToList();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
