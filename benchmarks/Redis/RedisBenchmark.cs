using System.Diagnostics;
using System.Globalization;
using Correctomatic.Shared.Configuration;
using Correctomatic.Shared.Contracts;
using Correctomatic.Shared.Redis;

namespace Correctomatic.Benchmarks.Redis;

/// <summary>
/// The stage operations through the adapter (issue #12) against redis-benchmark on the same server, same run, same
/// connections and pipeline depth; target ≥ 0.5 each. Rows:
/// <list type="bullet">
/// <item>XADD — a producer's submit (<see cref="RedisStreamCommands.XAddAsync"/>) vs redis-benchmark XADD;</item>
/// <item>read + hand-off — per entry: <see cref="IStreamQueue.ReadAsync"/> (batches of the pipeline depth) then
///   <see cref="IStreamQueue.TryHandOffAsync"/> (the owner-checked script) vs redis-benchmark EVAL of a script doing the
///   same writes (XADD + SET) without the reads;</item>
/// <item>XACK — <see cref="IStreamQueue.AcknowledgeAsync"/> of entries read beforehand (the read not timed) vs redis-benchmark XACK;</item>
/// <item>idle latency — one entry added while the consumer is blocked in ReadAsync, until it is read (median of 50).</item>
/// </list>
/// Each throughput figure is the best of three alternating rounds. Usage: redis [--url unix:///path] [--connections 4] [--pipeline 16] [--requests 40000]
/// </summary>
public static class RedisBenchmark
{
    private const string Payload = "{\"image\":\"correctomatic/grader-shell\",\"callback\":\"http://127.0.0.1:9/cb\",\"work_id\":\"w-1\"}";
    private const string WritesOfAHandOff = "redis.call('XADD', KEYS[1], '*', 'data', ARGV[1]) redis.call('SET', KEYS[2], 'c 1-1', 'PX', 600000) return 1";

    public static async Task<int> RunAsync(string[] args)
    {
        var url = Option(args, "--url", "redis://127.0.0.1:6379");
        var connections = int.Parse(Option(args, "--connections", "4"), CultureInfo.InvariantCulture);
        var pipeline = int.Parse(Option(args, "--pipeline", "16"), CultureInfo.InvariantCulture);
        var requests = int.Parse(Option(args, "--requests", "40000"), CultureInfo.InvariantCulture);
        var endpoint = RedisEndpoint.Parse(url);
        var producers = Enumerable.Range(0, connections).Select(i => new RedisConnections(RedisClientOptions.FromUrl(url, $"bench-{i}"))).ToList();

        Console.WriteLine($"Redis stage operations against {endpoint}: {connections} connection(s), pipeline depth {pipeline}, {requests} requests per test");
        Console.WriteLine($"{"test",-16} {"ours ops/s",12} {"redis-benchmark ops/s",22} {"ratio",6} {"alloc B/op",11}");
        var failed = false;
        await MeasureXAddAsync(producers, pipeline, Math.Min(requests, 10_000)); // warm-up: let tiered JIT settle
        foreach (var test in new[] { "XADD", "read + hand-off", "XACK" })
        {
            double ours = 0, theirs = 0, bytesPerOp = 0;
            for (var round = 0; round < 3; round++)
            {
                await producers[0].Database.KeyDeleteAsync(["bench:pending", "bench:running"]);
                var (opsPerSecond, bytes) = test switch
                {
                    "XADD" => await MeasureXAddAsync(producers, pipeline, requests),
                    "read + hand-off" => await MeasureStageAsync(producers, pipeline, requests),
                    _ => await MeasureAcknowledgeAsync(producers, pipeline, requests),
                };
                (ours, bytesPerOp) = opsPerSecond > ours ? (opsPerSecond, bytes) : (ours, bytesPerOp);
                string[] command = test switch
                {
                    "XADD" => ["XADD", "bench:rb", "*", "data", Payload],
                    "read + hand-off" => ["EVAL", WritesOfAHandOff, "2", "bench:rb", "bench:rb:m:__rand_int__", Payload],
                    _ => ["XACK", "bench:rb", "g", "1-__rand_int__"],
                };
                await producers[0].Database.StreamCreateConsumerGroupAsync("bench:rb", "g", "0", createStream: true);
                theirs = Math.Max(theirs, await RedisBenchmarkAsync(endpoint, connections, pipeline, requests, command));
                await producers[0].Database.KeyDeleteAsync("bench:rb");
            }

            var ratio = theirs > 0 ? ours / theirs : double.NaN;
            failed |= !(ratio >= 0.5);
            Console.WriteLine($"{test,-16} {ours,12:N0} {theirs,22:N0} {ratio,6:0.00} {bytesPerOp,11:N0}");
        }

        var latency = await IdleLatencyAsync(producers[0]);
        Console.WriteLine($"idle one-entry latency (XADD → blocked ReadAsync returns): median {latency.TotalMilliseconds:0.00} ms");
        Console.WriteLine($"process working set: {Environment.WorkingSet / (1024 * 1024)} MiB; GC heap: {GC.GetTotalMemory(false) / (1024 * 1024)} MiB");
        Console.WriteLine(failed ? "ratio below the 0.5 target for at least one test" : "every ratio meets the 0.5 target");
        foreach (var producer in producers)
        {
            await producer.DisposeAsync();
        }

        return 0;
    }

    /// <summary>Each connection sends <paramref name="pipeline"/> XADDs, awaits their replies, repeats — as redis-benchmark -P does.</summary>
    private static Task<(double, double)> MeasureXAddAsync(List<RedisConnections> producers, int pipeline, int requests) =>
        MeasureAsync(requests, producers.Select(p => (Func<Task>)(async () =>
        {
            var batch = new Task[pipeline];
            for (var sent = 0; sent < requests / producers.Count; sent += pipeline)
            {
                for (var i = 0; i < pipeline; i++)
                {
                    batch[i] = p.Database.XAddAsync("bench:pending", [new(StreamFields.Data, Payload)]);
                }

                await Task.WhenAll(batch);
            }
        })).ToList());

    /// <summary>
    /// Fills the stream, then one consumer per connection reads batches of <paramref name="pipeline"/> and hands each
    /// entry off, the batch's hand-offs in flight together. Only the consuming is timed.
    /// </summary>
    private static async Task<(double, double)> MeasureStageAsync(List<RedisConnections> redis, int pipeline, int requests)
    {
        var queues = await FilledQueuesAsync(redis, pipeline, requests);
        var result = await MeasureAsync(requests, queues.Select(q => (Func<Task>)(async () =>
        {
            while (true)
            {
                var entries = await q.ReadAsync(pipeline, TimeSpan.Zero);
                if (entries.Count == 0)
                {
                    return;
                }

                await Task.WhenAll(entries.Select(e => q.TryHandOffAsync(e.Id, "bench:running", [new(StreamFields.Data, Payload)])));
            }
        })).ToList());
        await DisposeAsync(redis, queues);
        return result;
    }

    /// <summary>
    /// Fills the stream and reads it all (not timed: XREADGROUP is the row above), then each consumer acknowledges the
    /// entries it holds, <paramref name="pipeline"/> in flight at a time: XACK alone, as redis-benchmark's row is.
    /// </summary>
    private static async Task<(double, double)> MeasureAcknowledgeAsync(List<RedisConnections> redis, int pipeline, int requests)
    {
        var queues = await FilledQueuesAsync(redis, pipeline, requests);
        var held = new List<string>[queues.Count];
        for (var i = 0; i < queues.Count; i++)
        {
            held[i] = [];
            while (held[i].Count < requests / queues.Count && await queues[i].ReadAsync(pipeline, TimeSpan.Zero) is { Count: > 0 } entries)
            {
                held[i].AddRange(entries.Select(e => e.Id));
            }
        }

        var result = await MeasureAsync(held.Sum(h => h.Count), queues.Select((q, i) => (Func<Task>)(async () =>
        {
            foreach (var batch in held[i].Chunk(pipeline))
            {
                await Task.WhenAll(batch.Select(id => q.AcknowledgeAsync(id)));
            }
        })).ToList());
        await DisposeAsync(redis, queues);
        return result;
    }

    private static async Task<List<StreamQueue>> FilledQueuesAsync(List<RedisConnections> redis, int pipeline, int requests)
    {
        var queues = redis.Select((r, i) => new StreamQueue(r, new StreamQueueOptions
        {
            Stream = "bench:pending", Group = "bench", Consumer = $"c{i}", DeadStream = "bench:dead",
        })).ToList();
        await queues[0].EnsureGroupAsync();
        await MeasureXAddAsync(redis, pipeline, requests);
        return queues;
    }

    private static async Task DisposeAsync(List<RedisConnections> redis, List<StreamQueue> queues)
    {
        foreach (var queue in queues)
        {
            await queue.DisposeAsync();
        }

        await redis[0].Database.KeyDeleteAsync("bench:pending");
    }

    private static async Task<(double OpsPerSecond, double BytesPerOp)> MeasureAsync(int requests, List<Func<Task>> workers)
    {
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(workers.Select(Task.Run));
        watch.Stop();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        return (requests / watch.Elapsed.TotalSeconds, (double)allocated / requests);
    }

    private static async Task<TimeSpan> IdleLatencyAsync(RedisConnections redis)
    {
        await using var queue = new StreamQueue(redis, new StreamQueueOptions
        {
            Stream = "bench:idle", Group = "bench", Consumer = "idle", DeadStream = "bench:dead",
        });
        await queue.EnsureGroupAsync();
        var samples = new List<double>();
        for (var i = 0; i < 51; i++)
        {
            var read = queue.ReadAsync(1, TimeSpan.FromSeconds(5));
            await Task.Delay(20); // let the read reach the server and block there: the idle case
            var started = Stopwatch.GetTimestamp();
            await redis.Database.XAddAsync("bench:idle", [new(StreamFields.Data, Payload)]);
            var entries = await read;
            var elapsed = Stopwatch.GetElapsedTime(started);
            await queue.AcknowledgeAsync(entries[0].Id);
            if (i > 0)
            {
                samples.Add(elapsed.TotalMilliseconds);
            }
        }

        samples.Sort();
        await redis.Database.KeyDeleteAsync("bench:idle");
        return TimeSpan.FromMilliseconds(samples[samples.Count / 2]);
    }

    private static async Task<double> RedisBenchmarkAsync(RedisEndpoint endpoint, int connections, int pipeline, int requests, string[] command)
    {
        var psi = new ProcessStartInfo("redis-benchmark") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (endpoint.Scheme == "unix")
        {
            psi.ArgumentList.Add("-s");
            psi.ArgumentList.Add(endpoint.Hosts[0]);
        }
        else
        {
            var hostPort = endpoint.Hosts[0];
            psi.ArgumentList.Add("-h");
            psi.ArgumentList.Add(hostPort[..hostPort.LastIndexOf(':')]);
            psi.ArgumentList.Add("-p");
            psi.ArgumentList.Add(hostPort[(hostPort.LastIndexOf(':') + 1)..]);
        }

        foreach (var arg in new[] { "-c", connections.ToString(CultureInfo.InvariantCulture), "-P", pipeline.ToString(CultureInfo.InvariantCulture),
                     "-n", requests.ToString(CultureInfo.InvariantCulture), "-r", "1000000", "--csv" }.Concat(command))
        {
            psi.ArgumentList.Add(arg);
        }

        using var process = Process.Start(psi) ?? throw new InvalidOperationException("redis-benchmark did not start");
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        // --csv: a header, then "name","rps", and six latency columns. The name may hold commas (the JSON payload): count from the end.
        var line = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault(l => !l.StartsWith("\"test\"", StringComparison.Ordinal));
        var columns = line?.Split(',');
        var rps = columns is { Length: >= 8 } ? columns[^7].Trim('"') : null;
        return double.TryParse(rps, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : 0;
    }

    private static string Option(string[] args, string name, string defaultValue)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : defaultValue;
    }
}
