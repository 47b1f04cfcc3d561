using System.Collections.Concurrent;
using System.Diagnostics;
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
    private readonly ConcurrentDictionary<string, (long Timestamp, byte[] Body)> _bodies = new(StringComparer.Ordinal);
    private TaskCompletionSource _arrival = new(TaskCreationOptions.RunContinuationsAsynchronously);

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

    /// <summary>When set, every first callback's body is kept with its <see cref="Stopwatch"/> timestamp of receipt.</summary>
    public bool KeepBodies { get; set; }
    public IReadOnlyDictionary<string, (long Timestamp, byte[] Body)> Bodies => _bodies;

    /// <summary>Waits until <paramref name="count"/> distinct callbacks have arrived in all; false when <paramref name="timeout"/> passes first.</summary>
    public async Task<bool> WaitForCountAsync(int count, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var until = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            var arrival = Volatile.Read(ref _arrival).Task; // taken before the count is read, so no arrival is missed
            if (Count >= count)
            {
                return true;
            }

            var now = Stopwatch.GetTimestamp();
            if (now >= until)
            {
                return false;
            }

            try
            {
                await arrival.WaitAsync(Stopwatch.GetElapsedTime(now, until), cancellationToken);
            }
            catch (TimeoutException)
            {
                return Count >= count;
            }
        }
    }

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
            var timestamp = Stopwatch.GetTimestamp();
            if (self!.KeepBodies)
            {
                self._bodies.TryAdd(key, (timestamp, buffer.ToArray()));
            }

            if (!self._receivedAtMs.TryAdd(key, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()))
            {
                Interlocked.Increment(ref self.Duplicates);
            }
            else
            {
                Interlocked.Exchange(ref self._arrival, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
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
