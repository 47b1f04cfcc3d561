using System.Threading.Channels;
using Correctomatic.Shared.Configuration;
using Correctomatic.Completer.Outcome;
using Correctomatic.Completer.Rendezvous;
using Correctomatic.Shared.Clocks;
using Correctomatic.Shared.Contracts;
using Correctomatic.Shared.Docker;
using Correctomatic.Shared.Hosting;
using Correctomatic.Shared.Redis;
using Correctomatic.Shared.Schemas;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Correctomatic.Completer;

/// <summary>
/// The completer (issue #6). Two sources feed one <see cref="JobRendezvous"/>: the <c>running</c> stream (read in the
/// group of this Docker host, plus entries reclaimed from dead completers; CompleterWorker.Entries.cs) and the containers
/// (<see cref="ContainerWatch"/>: Docker events, an inspect when an entry arrives, and a periodic sweep). Whichever side
/// arrives second queues the job for completion; <see cref="JobCompletion"/> then reads, decides and hands it off.
/// </summary>
/// <remarks>
/// Guarantee (at least once, effectively once): an entry is acknowledged only by the atomic hand-off to <c>finished</c>,
/// by the dead-letter step, or — for another host's entry — untouched. Entries held while their containers run are
/// renewed, so only a dead completer's entries are reclaimed. Nothing the worker knows lives only in memory: after a
/// restart, reclaim and the start-up sweep rebuild the rendezvous.
/// </remarks>
internal sealed partial class CompleterWorker : BackgroundService
{
    private readonly CompleterSettings _settings;
    private readonly IDockerClient _docker;
    private readonly Func<string, IStreamQueue> _queueForGroup;
    private readonly TimeProvider _time;
    private readonly EngineClock _engineClock;
    private readonly ILogger _logger;
    private readonly JobRendezvous _rendezvous;
    private readonly JobCompletion _completion;
    private readonly Channel<Pairing> _completions = Channel.CreateUnbounded<Pairing>();
    private readonly ContainerWatch _containers;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private string _hostId = "";

    /// <param name="queueForGroup">Opens the <c>running</c> stream queue for a consumer group (the group depends on the host id, known at start).</param>
    public CompleterWorker(CompleterSettings settings, IDockerClient docker, Func<string, IStreamQueue> queueForGroup, TimeProvider time,
        ILogger<CompleterWorker> logger)
    {
        _settings = settings;
        _docker = docker;
        _queueForGroup = queueForGroup;
        // Wall-clock readings on the engine's clock: deadlines (written by the starter on the same clock) and the
        // container's own times then compare without host skew (README "Clocks").
        _engineClock = new EngineClock(time, docker);
        _time = _engineClock;
        _logger = logger;
        _rendezvous = new JobRendezvous(time, settings.OrphanGrace); // durations only: the local clock
        _completion = new JobCompletion(docker, new OutcomeClassifier(SchemaCatalog.Default, settings.StderrTailBytes), settings, _time, logger);
        _containers = new ContainerWatch(settings, docker, _rendezvous, _completion, _engineClock, _completions.Writer, logger);
    }

    internal JobRendezvous Rendezvous => _rendezvous;

    /// <summary>Completes once the group exists and the start-up sweep ran.</summary>
    internal Task Ready => _ready.Task;

    internal string DockerHostId => _hostId;

    /// <summary>Ticked by the read loop; the service's liveness check reads it (issue #16).</summary>
    public Shared.Hosting.Heartbeat Heartbeat { get; init; } = Shared.Hosting.Heartbeat.None;

    /// <summary>Engine time minus this process's time, as last measured (tests).</summary>
    internal TimeSpan EngineClockOffset => _engineClock.Offset;

    /// <summary>Test hook: the event watcher waits for this before subscribing (it then replays events since start).</summary>
    internal Func<CancellationToken, Task>? EventWatcherGate { get; init; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await RunAsync(stoppingToken);
        }
        catch (Exception ex)
        {
            _ready.TrySetException(ex);
            throw;
        }
    }

    private async Task RunAsync(CancellationToken stoppingToken)
    {
        // Load the schemas now: the first load takes about a second, and an entry read but not yet in the rendezvous
        // is not renewed, so a first entry could otherwise sit idle long enough to be reclaimed by a sibling.
        SchemaCatalog.Default.Get(SchemaName.Running);
        SchemaCatalog.Default.Get(SchemaName.ContainerResponse);
        // Start-up against the engine and Redis, retried while either is down (StartupRetry): then the loops take over.
        var (queue, startedAt) = await StartupRetry.UntilDoneAsync("engine clock, host id and group", async ct =>
        {
            await _engineClock.SynchroniseAsync(ct);
            var at = _time.GetUtcNow();
            _hostId = _settings.DockerHostId ?? (await _docker.GetInfoAsync(ct)).Id;
            var q = _queueForGroup(ConsumerGroups.Completer(_hostId));
            await q.EnsureGroupAsync(ct);
            return (q, at);
        }, _logger, _time, stoppingToken);
        // Never the raw REDIS_URL: it may hold a password (RedisEndpoint.ToString shows it as ***).
        var redis = RedisEndpoint.Redact(_settings.Common.RedisUrl);
        _logger.Started(redis, _docker.Endpoint, _hostId, queue.Stream, queue.Group, queue.Consumer);

        // The watcher subscribes before the first sweep, so a container finishing between the two is seen by one of them.
        var loops = new List<Task> { _containers.WatchEventsAsync(startedAt, EventWatcherGate, stoppingToken) };
        await StartupRetry.UntilDoneAsync("first sweep and reclaim", async ct =>
        {
            await _containers.SweepAsync(ct);
            await ReclaimAsync(queue, ct);
        }, _logger, _time, stoppingToken);
        _ready.TrySetResult();

        // The sweep and the reclaim ran once just now, as part of the start-up: their loops wait first.
        var loop = new StageLoop(_settings.RetryDelay, _time, _logger, CompleterMetrics.Error);
        loops.Add(loop.RunAsync("read running", ct => ReadOnceAsync(queue, ct), TimeSpan.Zero, stoppingToken));
        loops.Add(loop.RunAsync("sweep", _containers.SweepAsync, _settings.SweepInterval, stoppingToken, waitFirst: true));
        loops.Add(loop.RunAsync("renew and reclaim", ct => RenewAndReclaimAsync(queue, ct), _settings.RenewInterval, stoppingToken, waitFirst: true));
        loops.Add(_containers.CheckContainersAsync(stoppingToken));
        // So a lost output can be told from a missing one: the events stream's drop opens an outage, a ping that answers ends it.
        loops.Add(loop.RunAsync("engine ping", _containers.PingEngineAsync, _settings.EnginePingInterval, stoppingToken));
        for (var i = 0; i < _settings.Concurrency; i++)
        {
            loops.Add(CompleteJobsAsync(queue, stoppingToken));
        }

        await Task.WhenAll(loops);
    }

    private async Task CompleteJobsAsync(IStreamQueue queue, CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var pairing in _completions.Reader.ReadAllAsync(stoppingToken))
            {
                await CompleteOneAsync(queue, pairing);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stop taking new work; pairings still queued stay un-acknowledged and are reclaimed later.
        }
    }

    private async Task CompleteOneAsync(IStreamQueue queue, Pairing pairing)
    {
        // COMPLETER_COMPLETION_TIMEOUT bounds every completion, at any time and at shutdown alike.
        using var grace = new CancellationTokenSource(_settings.CompletionTimeout, _time);
        var began = _time.GetTimestamp();
        FinishedJob? finished;
        try
        {
            var step = await _completion.CompleteAsync(queue, pairing, grace.Token);
            if (step.RerunCause is { } cause)
            {
                _rendezvous.OnCompleted(pairing.ContainerId);
                _logger.JobRunAgain(pairing.Job.JobId, pairing.Job.WorkId, pairing.ContainerId, cause);
                CompleterMetrics.Rerun(queue.Stream); // its container was removed before the hand-off (JobCompletion.RunAgainAsync)
                return;
            }

            finished = step.Finished;
        }
        catch (Exception ex) when (!FailurePolicy.IsFatal(ex))
        {
            CompleterMetrics.Error(ex);
            _logger.CompletionFailed(ex, pairing.Job.JobId, pairing.Job.WorkId, pairing.ContainerId);
            // Transient (Redis or the engine unreachable) is never counted towards giving the job up; poison is. A completion
            // that runs past its grace (cancelled) is poison: reading is bounded by OUTPUT_LIMIT, so a job that always runs
            // out of time would otherwise be tried forever.
            var failures = _rendezvous.CompletionFailures(pairing.ContainerId) + (FailurePolicy.IsTransient(ex) ? 0 : 1);
            if (failures < _settings.MaxCompletionAttempts)
            {
                // Not acknowledged, container untouched: the sweep hands the pairing out again (TakeRetries). Redis or the
                // engine being unreachable is not counted: the job's result is still there to be read once they are back.
                _rendezvous.OnCompletionFailed(pairing.ContainerId, countsAgainstTheJob: !FailurePolicy.IsTransient(ex));
                return;
            }

            if (await GiveUpAsync(queue, pairing, failures, ex, grace.Token) is not { } outcome)
            {
                return;
            }

            finished = outcome.Finished;
            if (outcome.DeadLettered)
            {
                _rendezvous.OnCompleted(pairing.ContainerId);
                await RemoveQuietlyAsync(pairing, grace.Token);
                return;
            }
        }

        _rendezvous.OnCompleted(pairing.ContainerId);
        if (finished is null)
        {
            _logger.EntryTakenOver(pairing.EntryId, pairing.Job.JobId, pairing.Job.WorkId); // its new owner reads and removes the container
            return;
        }

        var response = finished.Response;
        _logger.Completed(pairing.Job.JobId, pairing.Job.WorkId, ContractJson.Name(response.Status), response.ExitCode, pairing.ContainerId);
        CompleterMetrics.Completed(queue.Stream, response, _time.GetElapsedTime(began));
        await RemoveQuietlyAsync(pairing, grace.Token);
    }

    /// <summary>
    /// After <paramref name="failures"/> counted failures: complete with error and the last reason, or dead-letter.
    /// Null when even that failed (counted again; the next sweep tries once more, so a Redis outage costs no result).
    /// </summary>
    private async Task<(FinishedJob? Finished, bool DeadLettered)?> GiveUpAsync(IStreamQueue queue, Pairing pairing, int failures, Exception last,
        CancellationToken cancellationToken)
    {
        var reason = $"the completer could not complete this job in {failures} attempts (COMPLETER_MAX_COMPLETION_ATTEMPTS={_settings.MaxCompletionAttempts}); last error: {last.Message}";
        try
        {
            var outcome = await _completion.GiveUpAsync(queue, pairing, reason, cancellationToken);
            _logger.CompletionGivenUp(pairing.Job.JobId, pairing.Job.WorkId, pairing.ContainerId, outcome.DeadLettered ? "dead" : "error", reason);
            return outcome;
        }
        catch (Exception ex) when (!FailurePolicy.IsFatal(ex))
        {
            _logger.CompletionFailed(ex, pairing.Job.JobId, pairing.Job.WorkId, pairing.ContainerId);
            _rendezvous.OnCompletionFailed(pairing.ContainerId, countsAgainstTheJob: !FailurePolicy.IsTransient(ex));
            return null;
        }
    }

    private async Task RemoveQuietlyAsync(Pairing pairing, CancellationToken cancellationToken)
    {
        try
        {
            await _completion.RemoveAsync(pairing.ContainerId, cancellationToken);
        }
        catch (Exception ex) when (!FailurePolicy.IsFatal(ex))
        {
            _logger.RemoveFailed(ex, pairing.Job.JobId, pairing.Job.WorkId, pairing.ContainerId); // the sweep removes it
        }
    }
}
