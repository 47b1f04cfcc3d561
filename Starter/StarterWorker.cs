using Correctomatic.Shared.Contracts;
using Correctomatic.Shared.Docker;
using Correctomatic.Shared.Hosting;
using Correctomatic.Shared.Redis;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Correctomatic.Starter;

/// <summary>
/// The starter's loop (issue #5; STYLE, Hangfire): fetch → process → hand off, at most STARTER_CONCURRENCY jobs in hand,
/// no reads while this host runs MAX_RUNNING_CONTAINERS of ours (backpressure), an optional rate limit, and reclaim of
/// entries left by dead starters at start and every STARTER_RECLAIM_INTERVAL. Shutdown in stages: stop reading, let the
/// jobs in hand finish (the host's shutdown timeout bounds it), and whatever is unfinished stays pending for a reclaim.
/// </summary>
public sealed class StarterWorker(
    IStreamQueue queue, JobProcessor processor, IDockerClient docker, StarterSettings settings, string dockerHostId,
    TimeProvider timeProvider, ILogger<StarterWorker> logger) : BackgroundService
{
    private readonly SemaphoreSlim _slots = new(settings.Concurrency, settings.Concurrency);
    private readonly Dictionary<string, Task> _inHand = [];
    private readonly Lock _gate = new();
    private readonly StartSpacing? _spacing = settings.RateLimitPerMinute > 0 ? new(settings.RateLimitPerMinute, timeProvider) : null;
    private readonly RunningCount _count = new(settings.MaxRunningContainers, timeProvider);

    /// <summary>Ticked by the read loop; the service's liveness check reads it (issue #16).</summary>
    public Shared.Hosting.Heartbeat Heartbeat { get; set; } = Shared.Hosting.Heartbeat.None;

    /// <summary>Jobs in hand right now (tests and health).</summary>
    public int InHand
    {
        get
        {
            lock (_gate)
            {
                return _inHand.Count;
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Shared.Hosting.StartupRetry.UntilDoneAsync("consumer group", queue.EnsureGroupAsync, logger, timeProvider, stoppingToken);
        var loop = new StageLoop(settings.RetryDelay, timeProvider, logger, StarterMetrics.Error);
        var maintenance = loop.RunAsync("renew and reclaim", MaintainOnceAsync, settings.ReclaimInterval, stoppingToken);
        try
        {
            await loop.RunAsync("read pending", ReadOnceAsync, TimeSpan.Zero, stoppingToken);
        }
        finally
        {
            Task[] inHand;
            lock (_gate)
            {
                inHand = [.. _inHand.Values];
            }

            Log.Stopping(logger, inHand.Length);
            await Task.WhenAll(inHand).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await maintenance.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>One turn of the read loop: a slot, then one entry, handed to a job of its own.</summary>
    private async Task ReadOnceAsync(CancellationToken stoppingToken)
    {
        Heartbeat.Tick(); // liveness (issue #16): this loop goes round at least every STARTER_READ_BLOCK unless all slots are busy
        if (await AtContainerCapAsync(stoppingToken))
        {
            await Task.Delay(settings.ReadBlock, timeProvider, stoppingToken);
            return;
        }

        await _slots.WaitAsync(stoppingToken);
        IReadOnlyList<StreamEntry> entries;
        try
        {
            entries = await ReadRateLimitedAsync(stoppingToken);
        }
        catch
        {
            _slots.Release();
            throw;
        }

        if (entries.Count == 0)
        {
            _slots.Release();
            return;
        }

        Dispatch(entries[0]);
    }

    /// <summary>
    /// Reads one new entry once the rate limit allows a start (<see cref="StartSpacing"/>). The wait comes before the read,
    /// so an entry never waits in our hands (another starter may take it meanwhile). Reclaimed entries skip the limit:
    /// they were admitted once already.
    /// </summary>
    private async Task<IReadOnlyList<StreamEntry>> ReadRateLimitedAsync(CancellationToken stoppingToken)
    {
        if (_spacing?.Wait is { } wait && wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, timeProvider, stoppingToken);
        }

        // Checkpoint: once read, the entry is pending under this consumer; if we die from here on, another starter
        // reclaims it after STARTER_RECLAIM_MIN_IDLE (the container a dead starter created is found by its name).
        var entries = await queue.ReadAsync(1, settings.ReadBlock, stoppingToken);
        if (entries.Count > 0)
        {
            _spacing?.Started();
        }

        return entries;
    }

    /// <summary>Starts processing an entry whose slot is already taken; the slot is released when the job is done.</summary>
    private void Dispatch(StreamEntry entry)
    {
        // Jobs in hand do not see the stopping token: after SIGTERM they finish (stage 2 of shutdown).
        _count.Dispatched();
        var task = Task.Run(() => ProcessOneAsync(entry), CancellationToken.None);
        lock (_gate)
        {
            _inHand[entry.Id] = task;
        }
    }

    private async Task ProcessOneAsync(StreamEntry entry)
    {
        try
        {
            await processor.ProcessAsync(entry, CancellationToken.None);
        }
        catch (Exception ex) when (!FailurePolicy.IsFatal(ex))
        {
            // Transient or poison alike, the entry stays pending in our consumer; another starter (or we, after a restart)
            // reclaims it, and the reclaim dead-letters it after QUEUE_MAX_DELIVERIES: the job's bounded outcome.
            Log.JobRetryLater(logger, entry.Id, null, ex.Message);
        }
        finally
        {
            lock (_gate)
            {
                _inHand.Remove(entry.Id);
            }

            _slots.Release();
        }
    }

    private async Task<bool> AtContainerCapAsync(CancellationToken cancellationToken)
    {
        if (_count.KnownBelowCap)
        {
            return false;
        }

        var running = await docker.ListContainersAsync(
            [ContainerLabels.ManagedFilter(settings.Common.QueuePrefix), $"{ContainerLabels.DockerHost}={dockerHostId}"], all: false, cancellationToken);
        var inHand = InHand;
        _count.Listed(running.Count, inHand);
        if (running.Count + inHand < settings.MaxRunningContainers)
        {
            return false;
        }

        Log.AtContainerCap(logger, settings.MaxRunningContainers);
        return true;
    }

    /// <summary>Keeps ours from being reclaimed and reclaims entries of dead starters (at start, then every interval).</summary>
    private async Task MaintainOnceAsync(CancellationToken stoppingToken)
    {
        string[] mine;
        lock (_gate)
        {
            mine = [.. _inHand.Keys];
        }

        if (mine.Length > 0)
        {
            // Jobs in hand (e.g. a long pull) stay ours: without this another starter would reclaim them after min-idle.
            await queue.RenewOwnedAsync(mine, stoppingToken);
        }

        await ReclaimAsync(stoppingToken);
    }

    private async Task ReclaimAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested && await _slots.WaitAsync(0, stoppingToken))
        {
            IReadOnlyList<StreamEntry> entries;
            try
            {
                entries = await queue.ReclaimAsync(settings.ReclaimMinIdle, 1, stoppingToken);
            }
            catch
            {
                // The slot was taken for an entry that never came: give it back on every path. Leaked, each failed
                // reclaim cost one slot, and after STARTER_CONCURRENCY of them the starter read nothing more (issue #15).
                _slots.Release();
                throw;
            }

            var fresh = entries.Where(e => !IsInHand(e.Id)).ToList();
            if (fresh.Count == 0)
            {
                _slots.Release();
                return;
            }

            Log.Reclaimed(logger, fresh.Count);
            Dispatch(fresh[0]);
        }
    }

    private bool IsInHand(string id)
    {
        lock (_gate)
        {
            return _inHand.ContainsKey(id);
        }
    }

    public override void Dispose()
    {
        _slots.Dispose();
        base.Dispose();
    }
}
