using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Correctomatic.Shared.Contracts;
using Correctomatic.Shared.Redis;
using Correctomatic.Shared.Signing;

namespace Correctomatic.Benchmarks.Notifier;

/// <summary>
/// Signed callbacks per second from one notifier process to a local Kestrel receiver (issue #7): a backlog of N entries
/// in <c>finished</c> (throughput), then a steady stream (latency entry→receipt), with the notifier's RSS sampled from
/// /proc. Baseline: Correctomatic's notifier, limited to 20 callbacks/s by its default rate limit (its BullMQ worker).
/// Prints figures; it is not a timed test.
/// </summary>
public static class NotifierBenchmark
{
    private const double CorrectomaticDefaultRate = 20;

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.FirstOrDefault() == "parts")
        {
            NotifierParts.Run();
            return 0;
        }

        var backlog = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
        var steadyRate = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000;
        var steadySeconds = 5;
        Console.WriteLine($"notifier benchmark: {backlog} entries backlog, then {steadyRate}/s for {steadySeconds} s; {Environment.ProcessorCount} cores (shared machine), "
            + $"load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");

        await using var redisServer = await BenchRedis.StartAsync();
        await using var redis = new RedisConnections(RedisClientOptions.FromUrl(redisServer.Url, "bench"));
        await using var receiver = await BenchReceiver.StartAsync();
        var keyDir = Directory.CreateTempSubdirectory("ct-bench-keys-");
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var keyFile = Path.Combine(keyDir.FullName, "privateKey.pem");
        await File.WriteAllTextAsync(keyFile, ecdsa.ExportPkcs8PrivateKeyPem());
        var streams = new StreamNames("bench:");
        var callback = $"http://127.0.0.1:{receiver.Port}/callback";

        // Backlog: N entries added before the notifier starts (pipelined XADDs).
        var backlogIds = await AddAsync(redis, streams, callback, backlog);
        Console.WriteLine($"  {backlog} entries in {streams.Finished}");

        using var notifier = StartNotifier(redisServer.Url, keyFile);
        var rss = new RssSampler(notifier.Id);
        var started = Stopwatch.StartNew();
        while (receiver.Count < backlog && started.Elapsed < TimeSpan.FromMinutes(5) && !notifier.HasExited)
        {
            await Task.Delay(20);
            rss.Sample();
        }

        var drained = started.Elapsed;
        var notifierCpu = rss.CpuTime();
        var ownCpu = Process.GetCurrentProcess().TotalProcessorTime;
        if (receiver.Count < backlog)
        {
            Console.Error.WriteLine($"  only {receiver.Count}/{backlog} callbacks arrived; notifier exited: {notifier.HasExited}");
            return 1;
        }

        var arrivals = receiver.ReceivedAtMs.Values.ToList();
        var spanSeconds = (arrivals.Max() - arrivals.Min()) / 1000.0;
        var throughput = backlog / spanSeconds;
        Console.WriteLine($"  backlog drained in {drained.TotalSeconds:0.00} s from process start (incl. .NET start-up)");
        Console.WriteLine($"  throughput:  {throughput:0} callbacks/s (first to last receipt, {spanSeconds:0.00} s)  target >= 2000/s");
        Console.WriteLine($"  baseline:    {CorrectomaticDefaultRate:0}/s (Correctomatic's default limit) -> {throughput / CorrectomaticDefaultRate:0}x");
        // CPU per callback does not depend on how many other processes share the cores; 1 s / it = callbacks/s per free core.
        var cpuPerCallback = notifierCpu.TotalMicroseconds / backlog;
        Console.WriteLine($"  notifier CPU: {cpuPerCallback:0} µs per callback incl. start-up -> ~{1e6 / cpuPerCallback:0}/s per free core; "
            + $"this process (receiver + producer) {ownCpu.TotalMicroseconds / backlog:0} µs per callback");
        Print("  backlog latency (mostly queueing behind the backlog)", receiver.Latencies(backlogIds));

        // Steady stream: entries added at a fixed rate while the notifier runs; latency is entry→receipt.
        var steadyIds = new List<string>();
        var pace = Stopwatch.StartNew();
        for (var second = 0; second < steadySeconds; second++)
        {
            for (var slice = 0; slice < 10; slice++)
            {
                steadyIds.AddRange(await AddAsync(redis, streams, callback, steadyRate / 10));
                rss.Sample();
                var due = TimeSpan.FromMilliseconds((second * 10 + slice + 1) * 100);
                if (due > pace.Elapsed)
                {
                    await Task.Delay(due - pace.Elapsed);
                }
            }
        }

        var waitUntil = Stopwatch.StartNew();
        while (receiver.Count < backlog + steadyIds.Count && waitUntil.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(20);
            rss.Sample();
        }

        Print($"  steady {steadyRate}/s latency entry->receipt", receiver.Latencies(steadyIds));
        Console.WriteLine($"  notifier RSS: peak {rss.PeakMb:0.0} MB, last {rss.LastMb:0.0} MB  target < 150 MB");
        Console.WriteLine($"  duplicates received: {receiver.Duplicates}; pending after run: {(await redis.Database.StreamPendingAsync(streams.Finished, ConsumerGroups.Notifier)).PendingMessageCount}");
        using var publicKey = SigningKey.FromPublicKeyPem(ecdsa.ExportSubjectPublicKeyInfoPem());
        var verified = 0;
        foreach (var (signature, body) in receiver.Samples)
        {
            verified += (await BodySigner.VerifyAsync(publicKey, signature, body, DateTimeOffset.UtcNow, requireExpiry: false)).IsValid ? 1 : 0;
        }

        Console.WriteLine($"  signatures verified with the public key: {verified}/{receiver.Samples.Count()} sampled");
        notifier.Kill(entireProcessTree: true);
        await notifier.WaitForExitAsync();
        keyDir.Delete(recursive: true);
        return 0;
    }

    private static long s_sequence;

    private static async Task<List<string>> AddAsync(RedisConnections redis, StreamNames streams, string callback, int count)
    {
        var ids = new List<string>(count);
        const int chunk = 500;
        for (var start = 0; start < count; start += chunk)
        {
            var adds = new List<Task<string>>(chunk);
            for (var i = start; i < Math.Min(count, start + chunk); i++)
            {
                // The job id starts with the time it was added (ms), so the receiver's Idempotency-Key gives entry→receipt latency.
                var jobId = $"{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}-{Interlocked.Increment(ref s_sequence)}";
                var data = $$$"""{"job_id":"{{{jobId}}}","callback":"{{{callback}}}","response":{"success":true,"work_id":"w","job_id":"{{{jobId}}}","status":"graded","grade":7.98,"comments":["ok"]}}""";
                ids.Add(jobId);
                adds.Add(redis.Database.XAddAsync(streams.Finished, [new(StreamFields.Data, data)])); // pipelined on one connection
            }

            await Task.WhenAll(adds);
        }

        return ids;
    }

    private static Process StartNotifier(string redisUrl, string keyFile)
    {
        var psi = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Correctomatic.Notifier.dll"));
        psi.Environment["CORRECTOMATIC_ENV_FILE"] = "/nonexistent/.env";
        psi.Environment["REDIS_URL"] = redisUrl;
        psi.Environment["QUEUE_PREFIX"] = "bench:";
        psi.Environment["CALLBACK_SIGNING_KEY_FILE"] = keyFile;
        psi.Environment["CALLBACK_ALLOWED_NETWORKS"] = "127.0.0.0/8";
        // The notifier inherits this environment, so other settings can be tried: CALLBACK_MAX_IN_FLIGHT_PER_HOST=64 utils/bench-notifier.sh
        var process = Process.Start(psi) ?? throw new InvalidOperationException("the notifier did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { } line) { Console.Error.WriteLine("  notifier: " + line); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static void Print(string what, List<long> latencies)
    {
        latencies.Sort();
        if (latencies.Count == 0)
        {
            Console.WriteLine($"{what}: no samples");
            return;
        }

        long P(double q) => latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(q * latencies.Count) - 1)];
        Console.WriteLine($"{what}: p50 {P(0.50)} ms, p99 {P(0.99)} ms, max {latencies[^1]} ms (n={latencies.Count})");
    }
}
