using System.Security.Cryptography;
using Correctomatic.Benchmarks.Notifier;
using Correctomatic.Shared.Contracts;
using Correctomatic.Shared.Docker;

namespace Correctomatic.Benchmarks.Pipeline;

/// <summary>One run: what it started (so that <see cref="DisposeAsync"/> stops and removes all of it) and the steps.</summary>
internal sealed partial class PipelineRun(PipelineOptions options, IDockerClient docker, string work) : IAsyncDisposable
{
    private const string Submission = "echo hello\n";
    private static readonly string[] Params = ["EXPECTED=hello"];
    private static readonly TimeSpan ContainerWait = TimeSpan.FromSeconds(60);

    private readonly string _prefix = $"benchpipe-{options.RunId}:";
    private readonly PipelineReport _report = new();
    private readonly List<ServiceProcess> _services = [];
    private BenchRedis? _redis;
    private RedisCliProducer? _producer;
    private BenchReceiver? _receiver;
    private int _sequence;

    public async Task<int> RunAsync(string host, CancellationToken cancellationToken)
    {
        var loadStart = PipelineBenchmark.LoadAverage();
        Console.WriteLine($"bench-pipeline: {options.Jobs} jobs per side, concurrency {options.Concurrency}, {options.Rounds} interleaved rounds; "
            + $"runtime: {options.Runtime}; redis: {PipelineReport.RedisMode(options)}");
        var version = await docker.GetVersionAsync(cancellationToken);
        Console.WriteLine($"engine {version.Version} at {host}; {Environment.ProcessorCount} cores (shared machine); load average {loadStart}; "
            + "job: a passing submission, the Starter's default limits");
        var image = await docker.InspectImageAsync(options.Image, cancellationToken)
            ?? throw new InvalidOperationException($"image {options.Image} is missing; run utils/build-images.sh");
        // Other work on this engine may rebuild the image under the same tag: its id says which one these figures are of.
        _report.ImageDescription = $"{image.Id[..19]}, build-hash {image.Labels.GetValueOrDefault("correctomatic.build-hash", "none")}";
        Console.WriteLine($"image: {options.Image} = {_report.ImageDescription}; bare runs its CMD {string.Join(' ', options.ImageCmd)}");

        _redis = await BenchRedis.StartAsync(options.RedisFsync);
        _producer = RedisCliProducer.Start(_redis.SocketPath);
        _receiver = await BenchReceiver.StartAsync();
        _receiver.KeepBodies = true;
        NotePids(_redis.Pid, _producer.Pid);
        StartServices(host);
        var streams = new StreamNames(_prefix);
        using var sampling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var sampler = SampleRssAsync(sampling.Token);

        try
        {
            await WaitUntilReadyAsync(streams, cancellationToken);
            var idle = await SettledRssAsync(cancellationToken);
            Console.WriteLine("services ready: idle RSS " + string.Join(", ", _services.Select((s, i) => $"{s.Name} {idle[i]:F0} MiB")));

            var spawner = (await docker.InspectImageAsync(options.Image, cancellationToken))?.Labels.GetValueOrDefault("correctomatic.sandbox") == "spawner";
            var bare = new BaselineLifecycle(docker, BaselineKind.Bare, options.RunId, options.Image, options.ImageCmd, Submission, Params, options.Runtime, spawner);
            var archive = new BaselineLifecycle(docker, BaselineKind.Archive, options.RunId, options.Image, options.ImageCmd, Submission, Params, options.Runtime, spawner);
            var sandboxed = options.Sandboxed
                ? new BaselineLifecycle(docker, BaselineKind.Sandboxed, options.RunId, options.Image, options.ImageCmd, Submission, Params, options.Runtime, spawner)
                : null;
            // Warm-up (JIT in every process, the engine's image and layer caches), not in the figures below.
            var coldCpu = ServicesCpu();
            var cold = await RunPipelineAsync(streams, options.Warmup, cancellationToken);
            Console.WriteLine($"warm-up, not measured below: {options.Warmup} pipeline jobs at {options.Warmup / cold.TotalSeconds:F2} jobs/s, the services' CPU "
                + $"{(ServicesCpu() - coldCpu).TotalMilliseconds / options.Warmup:F1} ms/job (fresh processes: tiered JIT)");
            await RunBaselineAsync(bare, options.Concurrency, cancellationToken);
            await RunBaselineAsync(archive, options.Concurrency, cancellationToken);
            if (sandboxed is not null)
            {
                await RunBaselineAsync(sandboxed, options.Concurrency, cancellationToken);
            }

            for (var k = 0; k < options.IdleSamples; k++)
            {
                await IdleBaselineAsync(bare, PipelineReport.Bare, cancellationToken);
                await IdleBaselineAsync(archive, PipelineReport.Archive, cancellationToken);
                _report.IdleLatencyMs[PipelineReport.Pipeline].Add(await IdlePipelineJobAsync(streams, cancellationToken));
            }

            _report.PrintIdleLatency();
            Console.WriteLine();
            Console.WriteLine($"throughput rounds ({options.JobsPerRound} jobs per side each; the order alternates):");
            var cpuBefore = _services.Select(s => s.Rss.CpuTime()).ToList();
            await RunRoundsAsync(streams, bare, archive, sandboxed, cancellationToken);

            // CPU of the services over the rounds, per pipeline job (the baselines' time in between is idle for them).
            var cpuPerJob = _services.Select((s, i) => (s.Rss.CpuTime() - cpuBefore[i]).TotalMilliseconds / (options.JobsPerRound * options.Rounds)).ToList();
            var idleAfter = await SettledRssAsync(cancellationToken);
            for (var i = 0; i < _services.Count; i++)
            {
                var s = _services[i];
                _report.Services.Add(new ServiceFigures(s.Name, idle[i], s.Rss.PeakMb, s.Rss.HighWaterMarkMb() ?? double.NaN, idleAfter[i], cpuPerJob[i]));
            }
        }
        finally
        {
            await sampling.CancelAsync();
            await sampler;
        }

        await CheckOutcomesAsync(streams, cancellationToken);
        _report.PrintSummary(options, loadStart, PipelineBenchmark.LoadAverage());
        return 0;
    }

    private void StartServices(string host)
    {
        var keyFile = Path.Combine(work, "privateKey.pem");
        using (var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256))
        {
            var owner = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite };
            using var file = new StreamWriter(keyFile, owner);
            file.Write(ecdsa.ExportPkcs8PrivateKeyPem());
        }

        // Every setting at its default except what the run needs; no .env from the caller's directory.
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["CORRECTOMATIC_ENV_FILE"] = "/nonexistent/.env",
            ["REDIS_URL"] = _redis!.Url,
            ["DOCKER_HOST"] = host,
            ["QUEUE_PREFIX"] = _prefix,
            ["CONTAINER_RUNTIME"] = options.Runtime,
            ["CALLBACK_SIGNING_KEY_FILE"] = keyFile,
            ["CALLBACK_ALLOWED_NETWORKS"] = "127.0.0.0/8",
            ["STARTER_CONCURRENCY"] = options.Concurrency.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["COMPLETER_CONCURRENCY"] = options.Concurrency.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in options.ServiceEnv)
        {
            environment[key] = value;
        }

        foreach (var name in new[] { "Starter", "Completer", "Notifier" })
        {
            _services.Add(ServiceProcess.Start(name, environment, work));
            NotePids(_services[^1].Pid);
        }
    }

    /// <summary>utils/bench-pipeline.sh kills these if this process dies without cleaning up (BENCH_PIPELINE_PIDS_FILE).</summary>
    private static void NotePids(params int[] pids)
    {
        if (Environment.GetEnvironmentVariable("BENCH_PIPELINE_PIDS_FILE") is { Length: > 0 } file)
        {
            File.AppendAllLines(file, pids.Select(p => p.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
    }

    public void PrintServiceLogs()
    {
        foreach (var s in _services)
        {
            Console.Error.WriteLine($"--- last lines of the {s.Name}'s log");
            Console.Error.WriteLine(s.Tail(15));
        }
    }

    /// <summary>Stops the services first (so that no new container appears), then removes every container of this run.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var s in _services)
        {
            await s.DisposeAsync();
        }

        foreach (var label in new[] { ContainerLabels.ManagedFilter(_prefix), $"{BaselineLifecycle.RunLabel}={options.RunId}" })
        {
            foreach (var c in await docker.ListContainersAsync([label]))
            {
                await docker.RemoveContainerAsync(c.Id);
            }
        }

        if (_producer is not null)
        {
            await _producer.DisposeAsync();
        }

        if (_receiver is not null)
        {
            await _receiver.DisposeAsync();
        }

        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
    }
}
