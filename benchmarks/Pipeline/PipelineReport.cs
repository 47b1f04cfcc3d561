using System.Globalization;

namespace Correctomatic.Benchmarks.Pipeline;

/// <summary>The figures of one bench-pipeline run, and how they are printed.</summary>
internal sealed class PipelineReport
{
    public const string Bare = "bare", Archive = "archive", Sandboxed = "sandboxed", Pipeline = "pipeline";

    /// <summary>Per side: the one-job latencies on an idle system, ms.</summary>
    public Dictionary<string, List<double>> IdleLatencyMs { get; } = new(StringComparer.Ordinal)
    {
        [Bare] = [], [Archive] = [], [Pipeline] = [],
    };

    /// <summary>Per baseline: the same lifecycles' time to the result (logs read), before the container's removal, ms.</summary>
    public Dictionary<string, List<double>> IdleToResultMs { get; } = new(StringComparer.Ordinal) { [Bare] = [], [Archive] = [] };

    /// <summary>The pipeline's idle jobs split by the callback's timings: XADD→started_at, started_at→finished_at, finished_at→receipt (ms).</summary>
    public List<(double ToStart, double Run, double ToCallback)> IdleSplitMs { get; } = [];

    /// <summary>Per round, per side: jobs and wall time.</summary>
    public List<Dictionary<string, (int Jobs, TimeSpan Time)>> Rounds { get; } = [];

    public List<ServiceFigures> Services { get; } = [];

    /// <summary>Machine-wide busy CPU during each side's throughput runs (<see cref="PipelineBenchmark.MachineBusy"/>).</summary>
    public Dictionary<string, TimeSpan> MachineBusy { get; } = new(StringComparer.Ordinal) { [Bare] = TimeSpan.Zero, [Archive] = TimeSpan.Zero, [Sandboxed] = TimeSpan.Zero, [Pipeline] = TimeSpan.Zero };

    /// <summary>The three services' own CPU during each side's runs (idle for them during the baselines).</summary>
    public Dictionary<string, TimeSpan> ServicesBusy { get; } = new(StringComparer.Ordinal) { [Bare] = TimeSpan.Zero, [Archive] = TimeSpan.Zero, [Sandboxed] = TimeSpan.Zero, [Pipeline] = TimeSpan.Zero };

    private double PerJob(Dictionary<string, TimeSpan> busy, string side) => busy[side].TotalMilliseconds / Rounds.Sum(r => r[side].Jobs);

    /// <summary>Which build of the image the figures are of (its id and build-hash label).</summary>
    public string ImageDescription { get; set; } = "";

    public double Rate(string side) =>
        Rounds.Sum(r => r[side].Jobs) / Rounds.Sum(r => r[side].Time.TotalSeconds);

    public static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? double.NaN
            : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    public void PrintIdleLatency()
    {
        Console.WriteLine();
        Console.WriteLine($"idle one-job latency (median of {IdleLatencyMs[Bare].Count}, each job alone on an idle system; baselines: the whole lifecycle, "
            + "and to the result = logs read, before removal; pipeline: XADD → callback received, the container is removed after its hand-off)");
        var bare = Median(IdleLatencyMs[Bare]);
        foreach (var side in new[] { Bare, Archive, Pipeline })
        {
            var median = Median(IdleLatencyMs[side]);
            var samples = string.Join(' ', IdleLatencyMs[side].Select(v => F(v, 0)));
            var toResult = IdleToResultMs.TryGetValue(side, out var r) ? $"to result {F(Median(r), 0),4} ms" : "                 ";
            Console.WriteLine($"  {side,-9} {F(median, 0),5} ms   {toResult}   lifecycle bare + {F(median - bare, 0),4} ms   (samples: {samples})");
        }

        if (IdleSplitMs.Count > 0)
        {
            Console.WriteLine($"  pipeline split by the callback's timings (median): XADD → started_at {F(Median([.. IdleSplitMs.Select(s => s.ToStart)]), 0)} ms, "
                + $"started_at → finished_at {F(Median([.. IdleSplitMs.Select(s => s.Run)]), 0)} ms, finished_at → callback received {F(Median([.. IdleSplitMs.Select(s => s.ToCallback)]), 0)} ms");
        }
    }

    public void PrintRound(int round)
    {
        var r = Rounds[round];
        Console.WriteLine($"  round {round + 1}: " + string.Join("   ", r.Select(kv => $"{kv.Key} {F(kv.Value.Jobs / kv.Value.Time.TotalSeconds, 2)}/s ({kv.Value.Jobs} in {F(kv.Value.Time.TotalSeconds, 1)} s)")));
    }

    public void PrintSummary(PipelineOptions options, string loadStart, string loadEnd)
    {
        double bare = Rate(Bare), archive = Rate(Archive), pipeline = Rate(Pipeline);
        Console.WriteLine();
        Console.WriteLine($"throughput, {Rounds.Sum(r => r[Pipeline].Jobs)} jobs per side in {Rounds.Count} interleaved rounds, concurrency {options.Concurrency}:");
        Console.WriteLine($"  bare      {F(bare, 2)} jobs/s");
        Console.WriteLine($"  archive   {F(archive, 2)} jobs/s");
        Console.WriteLine($"  pipeline  {F(pipeline, 2)} jobs/s");
        Console.WriteLine($"  pipeline / bare     ratio {F(pipeline / bare, 2)}   (issue #14 target >= 0.95)");
        Console.WriteLine($"  pipeline / archive  ratio {F(pipeline / archive, 2)}");
        Console.WriteLine($"  archive / bare      ratio {F(archive / bare, 2)}   (the cost of delivering the file by the archive API)");
        // On a machine whose cores the engine saturates, pipeline / bare is about bare's CPU per job over the pipeline's.
        double Engine(string side) => PerJob(MachineBusy, side) - PerJob(ServicesBusy, side);
        Console.WriteLine("  machine CPU ms per job (all cores; the rest = engine, containerd, shims, runc, the bench itself):");
        Console.WriteLine($"    bare      {F(PerJob(MachineBusy, Bare), 0),4}   (our idle services {F(PerJob(ServicesBusy, Bare), 1)}, the rest {F(Engine(Bare), 0)})");
        Console.WriteLine($"    pipeline  {F(PerJob(MachineBusy, Pipeline), 0),4}   (our services {F(PerJob(ServicesBusy, Pipeline), 1)}, the rest {F(Engine(Pipeline), 0)})");
        Console.WriteLine($"    bare / pipeline CPU per job {F(PerJob(MachineBusy, Bare) / PerJob(MachineBusy, Pipeline), 2)}; the rest, pipeline minus bare: {F(Engine(Pipeline) - Engine(Bare), 0)} ms");
        if (Rounds.Count > 0 && Rounds[0].ContainsKey(Sandboxed))
        {
            // --sandboxed: the gap to bare split into what the sandbox costs the engine and what the services and queues cost.
            var sandboxed = Rate(Sandboxed);
            Console.WriteLine($"  sandboxed (the Starter's own container, driven directly): {F(sandboxed, 2)} jobs/s, machine CPU {F(PerJob(MachineBusy, Sandboxed), 0)} ms per job");
            Console.WriteLine($"    sandboxed / bare    ratio {F(sandboxed / bare, 2)}   (what the sandbox and the stdin delivery cost)");
            Console.WriteLine($"    pipeline / sandboxed ratio {F(pipeline / sandboxed, 2)}   (what the services and the queues cost)");
        }

        Console.WriteLine();
        Console.WriteLine("service RSS (MiB; VmRSS sampled every 100 ms, peak also as the kernel's VmHWM) and CPU; target idle <= 60, peak <= 120:");
        Console.WriteLine("  service   | idle | peak | VmHWM | idle after | CPU ms/job | target");
        foreach (var s in Services)
        {
            var ok = s.IdleMb <= 60 && Math.Max(s.PeakMb, s.HighWaterMb) <= 120 ? "met" : "NOT met";
            Console.WriteLine($"  {s.Name,-9} | {F(s.IdleMb, 0),4} | {F(s.PeakMb, 0),4} | {F(s.HighWaterMb, 0),5} | {F(s.IdleAfterMb, 0),10} | {F(s.CpuMsPerJob, 1),10} | {ok}");
        }

        Console.WriteLine();
        Console.WriteLine($"summary (image {ImageDescription}; runtime: {options.Runtime}; redis: {RedisMode(options)}; {options.Jobs} jobs, concurrency {options.Concurrency}, {options.Rounds} rounds; "
            + $"load average {loadStart} at start, {loadEnd} at end{ServiceEnv(options)})");
        Console.WriteLine("| figure | bare | archive | pipeline |");
        Console.WriteLine("|---|---|---|---|");
        Console.WriteLine($"| throughput (jobs/s) | {F(bare, 2)} | {F(archive, 2)} | {F(pipeline, 2)} |");
        Console.WriteLine($"| ratio to bare | 1.00 | {F(archive / bare, 2)} | {F(pipeline / bare, 2)} |");
        Console.WriteLine($"| idle one-job latency, whole lifecycle / XADD→callback (ms) | {F(Median(IdleLatencyMs[Bare]), 0)} | {F(Median(IdleLatencyMs[Archive]), 0)} | {F(Median(IdleLatencyMs[Pipeline]), 0)} |");
        Console.WriteLine($"| idle one-job latency, to result (ms) | {F(Median(IdleToResultMs[Bare]), 0)} | {F(Median(IdleToResultMs[Archive]), 0)} | {F(Median(IdleLatencyMs[Pipeline]), 0)} |");
        Console.WriteLine($"| pipeline idle latency minus bare (ms) | | | {F(Median(IdleLatencyMs[Pipeline]) - Median(IdleLatencyMs[Bare]), 0)} (whole lifecycle), {F(Median(IdleLatencyMs[Pipeline]) - Median(IdleToResultMs[Bare]), 0)} (to result) |");
        Console.WriteLine();
        Console.WriteLine("| service | RSS idle | RSS peak (VmHWM) | RSS idle after | CPU ms/job |");
        Console.WriteLine("|---|---|---|---|---|");
        foreach (var s in Services)
        {
            Console.WriteLine($"| {s.Name} | {F(s.IdleMb, 0)} | {F(Math.Max(s.PeakMb, s.HighWaterMb), 0)} | {F(s.IdleAfterMb, 0)} | {F(s.CpuMsPerJob, 1)} |");
        }
    }

    public static string RedisMode(PipelineOptions options) =>
        options.RedisFsync is { } fsync ? $"private, AOF appendfsync {fsync}" : "private, no persistence";

    private static string ServiceEnv(PipelineOptions options) =>
        options.ServiceEnv.Count == 0 ? "" : "; services with " + string.Join(' ', options.ServiceEnv.Select(kv => $"{kv.Key}={kv.Value}"));

    private static string F(double value, int decimals) => value.ToString("F" + decimals, CultureInfo.InvariantCulture);
}

