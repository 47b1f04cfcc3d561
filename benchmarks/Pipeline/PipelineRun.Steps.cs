using System.Diagnostics;
using System.Text.Json;
using Correctomatic.Shared.Contracts;
using Correctomatic.Shared.Docker;

namespace Correctomatic.Benchmarks.Pipeline;

/// <summary>The steps of a run: readiness, RSS, one baseline or pipeline batch, the final check.</summary>
internal sealed partial class PipelineRun
{
    /// <summary>The throughput rounds: each side's batch in turn, the order reversed every other round to cancel drift.</summary>
    private async Task RunRoundsAsync(StreamNames streams, BaselineLifecycle bare, BaselineLifecycle archive, BaselineLifecycle? sandboxed,
        CancellationToken cancellationToken)
    {
        string[] sides = sandboxed is null
            ? [PipelineReport.Bare, PipelineReport.Archive, PipelineReport.Pipeline]
            : [PipelineReport.Bare, PipelineReport.Archive, PipelineReport.Sandboxed, PipelineReport.Pipeline];
        for (var r = 0; r < options.Rounds; r++)
        {
            var round = new Dictionary<string, (int, TimeSpan)>(StringComparer.Ordinal);
            foreach (var side in r % 2 == 0 ? sides : sides.Reverse())
            {
                var (busyBefore, servicesBefore) = (PipelineBenchmark.MachineBusy(), ServicesCpu());
                round[side] = (options.JobsPerRound, side switch
                {
                    PipelineReport.Bare => await RunBaselineAsync(bare, options.JobsPerRound, cancellationToken),
                    PipelineReport.Archive => await RunBaselineAsync(archive, options.JobsPerRound, cancellationToken),
                    PipelineReport.Sandboxed => await RunBaselineAsync(sandboxed!, options.JobsPerRound, cancellationToken),
                    _ => await RunPipelineAsync(streams, options.JobsPerRound, cancellationToken),
                });
                _report.MachineBusy[side] += PipelineBenchmark.MachineBusy() - busyBefore;
                _report.ServicesBusy[side] += ServicesCpu() - servicesBefore;
            }

            _report.Rounds.Add(round);
            _report.PrintRound(r);
        }
    }

    private TimeSpan ServicesCpu() => _services.Aggregate(TimeSpan.Zero, (sum, s) => sum + s.Rss.CpuTime());

    /// <summary>The three consumer groups exist once each service has connected to Redis and Docker.</summary>
    private async Task WaitUntilReadyAsync(StreamNames streams, CancellationToken cancellationToken)
    {
        const string script = "local n=0 for _,k in ipairs(KEYS) do if redis.call('EXISTS',k)==1 and #redis.call('XINFO','GROUPS',k)>0 then n=n+1 end end return n";
        var watch = Stopwatch.StartNew();
        while (await _producer!.CommandAsync($"EVAL \"{script}\" 3 {streams.Pending} {streams.Running} {streams.Finished}", cancellationToken) != "3")
        {
            if (_services.FirstOrDefault(s => s.HasExited) is { } exited)
            {
                throw new InvalidOperationException($"the {exited.Name} exited at start");
            }

            if (watch.Elapsed > ContainerWait)
            {
                throw new TimeoutException("the services did not create their consumer groups within 60 s");
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    /// <summary>Each service's RSS once it has stopped moving (two readings a second apart within 0.5 MiB, at most 15 s).</summary>
    private async Task<List<double>> SettledRssAsync(CancellationToken cancellationToken)
    {
        var last = _services.Select(_ => double.NaN).ToList();
        for (var i = 0; i < 15; i++)
        {
            await Task.Delay(1000, cancellationToken);
            var now = _services.Select(s => { s.Rss.Sample(); return s.Rss.LastMb; }).ToList();
            var settled = now.Zip(last).All(p => Math.Abs(p.First - p.Second) <= 0.5);
            last = now;
            if (settled)
            {
                break;
            }
        }

        return last;
    }

    private async Task SampleRssAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                foreach (var s in _services)
                {
                    s.Rss.Sample();
                }
            }
        }
        catch (OperationCanceledException)
        {
            // the run is over
        }
    }

    /// <summary><paramref name="count"/> lifecycles, <see cref="PipelineOptions.Concurrency"/> at a time (one when count is 1); returns the wall time.</summary>
    private async Task<TimeSpan> RunBaselineAsync(BaselineLifecycle lifecycle, int count, CancellationToken cancellationToken)
    {
        var remaining = count;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Math.Min(count, options.Concurrency)).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Decrement(ref remaining) >= 0)
            {
                await lifecycle.RunAsync(cancellationToken);
            }
        }, cancellationToken)));
        return watch.Elapsed;
    }

    /// <summary>One lifecycle on an idle engine: notes its whole time and its time to the result (logs read, before removal).</summary>
    private async Task IdleBaselineAsync(BaselineLifecycle lifecycle, string side, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var toResult = await lifecycle.RunAsync(cancellationToken);
        _report.IdleLatencyMs[side].Add(watch.Elapsed.TotalMilliseconds);
        _report.IdleToResultMs[side].Add(toResult.TotalMilliseconds);
    }

    /// <summary>XADDs <paramref name="count"/> jobs at once; returns the time from before the XADDs to the last callback received, then waits for the containers' removal.</summary>
    private async Task<TimeSpan> RunPipelineAsync(StreamNames streams, int count, CancellationToken cancellationToken)
    {
        var expected = _receiver!.Count + count;
        var jobs = Enumerable.Range(0, count).Select(_ => JobJson()).ToList();
        var start = Stopwatch.GetTimestamp();
        var ids = await _producer!.AddAsync(streams.Pending, jobs, cancellationToken);
        await WaitForCallbacksAsync(expected, TimeSpan.FromSeconds(60 + (2 * count)), cancellationToken);
        var last = ids.Max(id => _receiver.Bodies[id].Timestamp);
        await WaitForNoContainersAsync(cancellationToken);
        return Stopwatch.GetElapsedTime(start, last);
    }

    /// <summary>One job on an idle pipeline, XADD → callback received (ms); notes the split given by the callback's timings.</summary>
    private async Task<double> IdlePipelineJobAsync(StreamNames streams, CancellationToken cancellationToken)
    {
        var expected = _receiver!.Count + 1;
        var wallStart = DateTimeOffset.UtcNow;
        var start = Stopwatch.GetTimestamp();
        var id = (await _producer!.AddAsync(streams.Pending, [JobJson()], cancellationToken))[0];
        await WaitForCallbacksAsync(expected, ContainerWait, cancellationToken);
        var (received, body) = _receiver.Bodies[id];
        var latency = Stopwatch.GetElapsedTime(start, received).TotalMilliseconds;
        using (var doc = JsonDocument.Parse(body))
        {
            if (doc.RootElement.TryGetProperty("timings", out var t)
                && t.TryGetProperty("started_at", out var s) && s.ValueKind == JsonValueKind.String
                && t.TryGetProperty("finished_at", out var f) && f.ValueKind == JsonValueKind.String)
            {
                var startedAt = s.GetDateTimeOffset();
                var finishedAt = f.GetDateTimeOffset();
                _report.IdleSplitMs.Add(((startedAt - wallStart).TotalMilliseconds, (finishedAt - startedAt).TotalMilliseconds,
                    (wallStart.AddMilliseconds(latency) - finishedAt).TotalMilliseconds));
            }
        }

        await WaitForNoContainersAsync(cancellationToken);
        return latency;
    }

    private async Task WaitForCallbacksAsync(int expected, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (!await _receiver!.WaitForCountAsync(expected, timeout, cancellationToken))
        {
            throw new TimeoutException($"only {_receiver.Count} of {expected} callbacks arrived within {timeout.TotalSeconds:F0} s");
        }
    }

    /// <summary>The completer removes a container after its hand-off, so the next step starts on an engine without ours.</summary>
    private async Task WaitForNoContainersAsync(CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        while ((await docker.ListContainersAsync([ContainerLabels.ManagedFilter(_prefix)], cancellationToken: cancellationToken)).Count > 0)
        {
            if (watch.Elapsed > ContainerWait)
            {
                throw new TimeoutException("the pipeline's containers were not removed within 60 s");
            }

            await Task.Delay(20, cancellationToken);
        }
    }

    /// <summary>Every callback graded, none twice, nothing dead-lettered.</summary>
    private async Task CheckOutcomesAsync(StreamNames streams, CancellationToken cancellationToken)
    {
        var statuses = _receiver!.Bodies.Values
            .Select(b => { using var doc = JsonDocument.Parse(b.Body); return doc.RootElement.GetProperty("status").GetString(); })
            .GroupBy(s => s).ToDictionary(g => g.Key ?? "(none)", g => g.Count(), StringComparer.Ordinal);
        var dead = await _producer!.CommandAsync($"XLEN {streams.Dead}", cancellationToken);
        Console.WriteLine();
        Console.WriteLine($"pipeline outcomes: {_receiver.Count} callbacks ({string.Join(", ", statuses.Select(kv => $"{kv.Key} {kv.Value}"))}), "
            + $"{_receiver.Duplicates} duplicates, {dead} dead-lettered");
        if (statuses.Keys.Any(s => s != "graded") || _receiver.Duplicates > 0 || dead != "0")
        {
            throw new InvalidOperationException("the pipeline did not grade every job exactly once");
        }
    }

    private string JobJson() =>
        JsonSerializer.Serialize(new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["image"] = options.Image,
            ["callback"] = $"http://127.0.0.1:{_receiver!.Port}/callback",
            ["work_id"] = $"bench-{Interlocked.Increment(ref _sequence)}",
            ["file_content"] = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(Submission)),
            ["params"] = Params,
        });
}
