using System.Diagnostics;
using System.Globalization;
using Correctomatic.Shared.Configuration;
using Correctomatic.Shared.Docker;

namespace Correctomatic.Benchmarks.Docker;

/// <summary>
/// Issues #4 and #12: the lifecycle of a trivial container (create, start, wait, logs, remove) through our adapter over
/// Docker.DotNet versus curl over the same socket, at concurrency 1 and 4, in one run. Prints lifecycles/s and the ratio
/// per concurrency, then the overall figure as <c>ratio N.NN</c> (all lifecycles over all time, ours against curl's;
/// target ≥ 0.95), plus our allocated bytes per lifecycle and the process RSS. Figures, not a timed test:
/// container start dominates, and a shared machine makes them noisy, so the two sides alternate in rounds.
/// Usage: dotnet run --project benchmarks -c Release -- docker [--count N] [--rounds R] [--host unix:///var/run/docker.sock]
/// </summary>
public static class DockerBenchmark
{
    public const string Image = "correctomatic/busybox:latest";

    public static async Task<int> RunAsync(string[] args)
    {
        var count = IntArg(args, "--count", 12);
        var rounds = IntArg(args, "--rounds", 2);
        var host = StringArg(args, "--host") ?? (Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 } h ? h : "unix:///var/run/docker.sock");
        var socket = DockerEndpoint.Parse(host).SocketPath ?? throw new ArgumentException("the curl side needs a unix:// DOCKER_HOST");
        var runLabel = "bench-" + Guid.NewGuid().ToString("N")[..12];

        using var client = DockerClient.Create(host);
        var version = await client.GetVersionAsync();
        await client.PingAsync();
        if (await client.InspectImageAsync(Image) is null)
        {
            Console.Error.WriteLine($"bench-docker: image {Image} is missing; run utils/build-images.sh");
            return 1;
        }

        var ours = new OurLifecycle(client, runLabel);
        var curl = new CurlLifecycle(socket, "/v" + client.ApiVersion, runLabel);
        Console.WriteLine($"engine {version.Version} (API {client.ApiVersion}) at {host}; {Environment.ProcessorCount} cores, load {LoadAverage()}");
        Console.WriteLine($"lifecycle = create {Image} `true` → start → wait → logs → remove; {count} lifecycles per side per concurrency, in {rounds} alternating rounds");
        try
        {
            await ours.RunAsync(); // warm-up: JIT, connection pool, image cache
            await curl.RunAsync();
            Console.WriteLine();
            Console.WriteLine("concurrency | ours lifecycles/s | curl lifecycles/s | ratio ours/curl | ours bytes/lifecycle");
            TimeSpan oursTotal = default, curlTotal = default;
            foreach (var concurrency in new[] { 1, 4 })
            {
                TimeSpan oursTime = default, curlTime = default;
                long allocated = 0;
                var perRound = Math.Max(1, count / rounds);
                for (var r = 0; r < rounds; r++)
                {
                    var before = GC.GetTotalAllocatedBytes(precise: true);
                    oursTime += await MeasureAsync(ours.RunAsync, perRound, concurrency);
                    allocated += GC.GetTotalAllocatedBytes(precise: true) - before;
                    curlTime += await MeasureAsync(curl.RunAsync, perRound, concurrency);
                }

                oursTotal += oursTime;
                curlTotal += curlTime;
                var total = perRound * rounds;
                var oursRate = total / oursTime.TotalSeconds;
                var curlRate = total / curlTime.TotalSeconds;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{concurrency,11} | {oursRate,17:F2} | {curlRate,17:F2} | {oursRate / curlRate,15:F2} | {allocated / total,20:N0}"));
            }

            // The same number of lifecycles on each side, so the rate ratio is curl's time over ours.
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"\nratio {curlTotal / oursTotal:F2} (ours/curl, lifecycles per second, both concurrencies)"));
            using var self = Process.GetCurrentProcess();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"\nRSS {self.WorkingSet64 / (1024 * 1024)} MB (peak {self.PeakWorkingSet64 / (1024 * 1024)} MB); load after {LoadAverage()}"));
            return 0;
        }
        finally
        {
            foreach (var c in await client.ListContainersAsync([$"{OurLifecycle.BenchLabel}={runLabel}"]))
            {
                await client.RemoveContainerAsync(c.Id);
            }
        }
    }

    /// <summary>Runs <paramref name="count"/> lifecycles with <paramref name="concurrency"/> workers; returns the wall time.</summary>
    private static async Task<TimeSpan> MeasureAsync(Func<Task> lifecycle, int count, int concurrency)
    {
        var remaining = count;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Decrement(ref remaining) >= 0)
            {
                await lifecycle();
            }
        })));
        return watch.Elapsed;
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static int IntArg(string[] args, string name, int fallback) =>
        StringArg(args, name) is { } v && int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : fallback;

    private static string? StringArg(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
