using System.Collections.Concurrent;
using Correctomatic.Shared.Configuration;
using Correctomatic.Notifier.Delivery;
using Correctomatic.Shared.Hosting;
using Correctomatic.Shared.Redis;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Correctomatic.Notifier.Worker;

/// <summary>
/// The notifier's loop (issue #7; Hangfire's worker shape, STYLE): read <c>finished</c> in group <c>notifier</c> →
/// deliver → acknowledge, or dead-letter with every attempt. An entry stays pending (un-acknowledged) in Redis for as
/// long as this process works on it, retries included, and is renewed so no other notifier reclaims it; if this process
/// dies, another one (or this one, restarted) reclaims it and continues from the attempt history in Redis, with the same
/// idempotency key. At least once: a receiver may see a callback twice, never zero times.
/// </summary>
public sealed partial class NotifierWorker(
    IStreamQueue queue,
    CallbackBody bodies,
    Deliverer deliverer,
    IAttemptHistory history,
    RetrySchedule schedule,
    NotifierSettings settings,
    TimeProvider timeProvider,
    ILogger<NotifierWorker> logger,
    Shared.Hosting.Heartbeat? heartbeat = null) : BackgroundService
{
    // Entry id → cancelled when another notifier has taken the entry over (renewal says it is no longer ours).
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _held = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _heldSlots = new(settings.MaxHeld, settings.MaxHeld);

    // Entries read but not yet attempted: twice the request slots keeps the senders busy without reading the backlog into memory.
    private readonly SemaphoreSlim _freshSlots = new(2 * settings.Concurrency, 2 * settings.Concurrency);
    private readonly TaskTracker _tasks = new();

    /// <summary>Entries this process holds (in flight or waiting for a retry).</summary>
    public int Held => _held.Count;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await StartupRetry.UntilDoneAsync("consumer group", queue.EnsureGroupAsync, logger, timeProvider, stoppingToken).ConfigureAwait(false);
        Log.Started(logger, queue.Consumer, queue.Stream, queue.Group, RedisEndpoint.Redact(settings.Common.RedisUrl), deliverer.Algorithm,
            settings.Concurrency, string.Join(", ", settings.AllowedNetworks));

        // Stage 3 of shutdown fires this: requests still running after the grace period are cancelled, un-acknowledged.
        using var abort = new CancellationTokenSource();
        var loop = new StageLoop(settings.RetryDelay, timeProvider, logger, NotifierMetrics.Error);
        // Renew well inside the reclaim idle time, so a live notifier's entries are never taken over; until requests
        // in flight are aborted, since those entries are still ours.
        var renewing = loop.RunAsync("renew held entries", RenewOnceAsync, settings.ReclaimIdle / 3, abort.Token, waitFirst: true);
        var reclaiming = loop.RunAsync("reclaim", ct => ReclaimOnceAsync(ct, abort.Token), settings.ReclaimInterval, stoppingToken);
        await loop.RunAsync("read " + queue.Stream, ct => ReadOnceAsync(ct, abort.Token), TimeSpan.Zero, stoppingToken).ConfigureAwait(false);
        await reclaiming.ConfigureAwait(false);

        // Stage 2: no more reads; retry waits ended with stoppingToken (their entries stay pending, reclaimed later);
        // requests in flight get the grace period to finish and be acknowledged.
        Log.Stopping(logger, (long)settings.ShutdownGrace.TotalMilliseconds, deliverer.InFlight, _held.Count);
        var all = _tasks.WhenAll();
        var grace = Task.Delay(settings.ShutdownGrace, timeProvider, CancellationToken.None);
        if (await Task.WhenAny(all, grace).ConfigureAwait(false) != all)
        {
            Log.Abandoning(logger, _tasks.Count);
        }

        await abort.CancelAsync().ConfigureAwait(false);
        await all.ConfigureAwait(false);
        await renewing.ConfigureAwait(false);
        Log.Stopped(logger);
    }

    public override void Dispose()
    {
        _heldSlots.Dispose();
        _freshSlots.Dispose();
        base.Dispose();
    }

    /// <summary>One turn of the read loop: slots for up to NOTIFIER_READ_BATCH entries, the read, a task per entry.</summary>
    private async Task ReadOnceAsync(CancellationToken stopping, CancellationToken abort)
    {
        heartbeat?.Tick(); // liveness (issue #16): goes round every NOTIFIER_READ_BLOCK unless NOTIFIER_MAX_HELD entries are held
        var slots = 0;
        var fresh = 0;
        try
        {
            // Hold at most NOTIFIER_MAX_HELD entries: memory stays bounded however many receivers are down.
            await _heldSlots.WaitAsync(stopping).ConfigureAwait(false);
            slots = 1;
            await _freshSlots.WaitAsync(stopping).ConfigureAwait(false);
            fresh = 1;
            while (slots < settings.ReadBatch && _freshSlots.Wait(0))
            {
                fresh++;
                if (!_heldSlots.Wait(0))
                {
                    break;
                }

                slots++;
            }

            // Checkpoint: once read, an entry is pending under this consumer; if we die now, it is reclaimed.
            var entries = await queue.ReadAsync(slots, settings.ReadBlock, stopping).ConfigureAwait(false);
            foreach (var entry in entries)
            {
                slots--;
                fresh--;
                Start(entry, new FirstAttemptGate(_freshSlots), stopping, abort);
            }
        }
        finally
        {
            if (slots > 0)
            {
                _heldSlots.Release(slots);
            }

            if (fresh > 0)
            {
                _freshSlots.Release(fresh);
            }
        }
    }

    /// <summary>Entries whose notifier died (not renewed for NOTIFIER_RECLAIM_IDLE): continue them here.</summary>
    private async Task ReclaimOnceAsync(CancellationToken stopping, CancellationToken abort)
    {
        var free = Math.Min(_heldSlots.CurrentCount, settings.ReadBatch);
        if (free == 0)
        {
            return;
        }

        var started = 0;
        foreach (var entry in await queue.ReclaimAsync(settings.ReclaimIdle, free, stopping).ConfigureAwait(false))
        {
            // Our own entries are renewed and never idle that long, unless a renewal failed: keep one owner.
            if (!_held.ContainsKey(entry.Id) && _heldSlots.Wait(0))
            {
                Start(entry, new FirstAttemptGate(null), stopping, abort);
                started++;
            }
        }

        if (started > 0)
        {
            Log.Reclaimed(logger, started);
        }
    }

    private async Task RenewOnceAsync(CancellationToken abort)
    {
        var ids = _held.Keys.ToArray();
        if (ids.Length == 0)
        {
            return;
        }

        var owned = (await queue.RenewOwnedAsync(ids, abort).ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal);
        foreach (var id in ids)
        {
            if (!owned.Contains(id) && _held.TryGetValue(id, out var lost))
            {
                CancelQuietly(lost); // taken over (or finished meanwhile): stop retrying it here
            }
        }
    }

    private void Start(StreamEntry entry, FirstAttemptGate gate, CancellationToken stopping, CancellationToken abort)
    {
        var owned = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        _held[entry.Id] = owned;
        _tasks.Track(async () =>
        {
            try
            {
                await ProcessAsync(entry, gate, owned.Token, abort).ConfigureAwait(false);
            }
            finally
            {
                gate.Done();
                _held.TryRemove(entry.Id, out _);
                owned.Dispose();
                _heldSlots.Release();
            }
        });
    }

    private static void CancelQuietly(CancellationTokenSource source)
    {
        try
        {
            source.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // the entry finished between the renewal and now
        }
    }
}
