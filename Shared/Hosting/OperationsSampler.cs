using System.Diagnostics.Metrics;
using Correctomatic.Shared.Contracts;
using Correctomatic.Shared.Docker;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Correctomatic.Shared.Hosting;

/// <summary>
/// Feeds the gauges (issue #16) from a periodic read, every METRICS_SAMPLE_INTERVAL: queue length, pending and lag per
/// consumer group of the stage's streams (through <see cref="IQueueProbe"/>), and our running containers per Docker host
/// (for the stages that use the engine). A scrape reads the last sample and never waits for Redis or Docker.
/// </summary>
internal sealed class OperationsSampler : BackgroundService
{
    private readonly IQueueProbe? _queues;
    private readonly IDockerClient? _docker;
    private readonly string _queuePrefix;
    private readonly OperationsSettings _settings;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private volatile IReadOnlyList<QueueSample> _queueSamples = [];
    private volatile IReadOnlyDictionary<string, int> _containers = new Dictionary<string, int>();

    public OperationsSampler(IQueueProbe? queues, IDockerClient? docker, string queuePrefix, ServiceIdentity identity, OperationsSettings settings,
        IMeterFactory meters, TimeProvider time, ILogger<OperationsSampler> logger)
    {
        _queues = queues;
        _docker = docker;
        _queuePrefix = queuePrefix;
        _settings = settings;
        _time = time;
        _logger = logger;
        var meter = meters.Create(identity.MeterName);
        if (queues is not null)
        {
            meter.CreateObservableGauge("correctomatic.queue.length", () => _queueSamples.Where(s => s.Group is null)
                .Select(s => new Measurement<long>(s.Length, Tag(Instruments.Destination, s.Stream))), "{entry}", "Entries in the stream (XLEN)");
            meter.CreateObservableGauge("correctomatic.queue.pending", () => _queueSamples.Where(s => s.Pending is not null)
                .Select(s => new Measurement<long>(s.Pending!.Value, Tag(Instruments.Destination, s.Stream), Tag(Instruments.ConsumerGroup, s.Group))),
                "{entry}", "Entries delivered to the consumer group and not yet acknowledged (XINFO GROUPS pending)");
            meter.CreateObservableGauge("correctomatic.queue.lag", () => _queueSamples.Where(s => s.Lag is not null)
                .Select(s => new Measurement<long>(s.Lag!.Value, Tag(Instruments.Destination, s.Stream), Tag(Instruments.ConsumerGroup, s.Group))),
                "{entry}", "Entries not yet delivered to the consumer group (XINFO GROUPS lag)");
        }

        if (docker is not null)
        {
            meter.CreateObservableGauge("correctomatic.containers.running", () => _containers
                .Select(c => new Measurement<int>(c.Value, Tag(Instruments.DockerHost, c.Key))), "{container}", "Our grader containers running, per Docker host");
        }
    }

    /// <summary>Completes after the first sample (tests wait for it before scraping).</summary>
    internal TaskCompletionSource FirstSample { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await SampleAsync(stoppingToken);
            FirstSample.TrySetResult();
            try
            {
                await Task.Delay(_settings.SampleInterval, _time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    internal async Task SampleAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (_queues is not null)
            {
                _queueSamples = await _queues.SampleAsync(cancellationToken);
            }

            if (_docker is not null)
            {
                var running = await _docker.ListContainersAsync([ContainerLabels.ManagedFilter(_queuePrefix)], all: false, cancellationToken);
                _containers = running.GroupBy(c => c.Labels.GetValueOrDefault(ContainerLabels.DockerHost) ?? "unknown", StringComparer.Ordinal)
                    .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException && !FailurePolicy.IsFatal(ex))
        {
            // The gauges keep their last values; readiness and correctomatic.errors tell the operator what is down.
            _logger.LogDebug(ex, "metrics sample failed");
        }
    }

    private static KeyValuePair<string, object?> Tag(string key, object? value) => new(key, value);
}
