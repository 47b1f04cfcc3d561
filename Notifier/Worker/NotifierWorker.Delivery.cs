using System.Text.Json;
using Correctomatic.Notifier.Delivery;
using Correctomatic.Shared.Hosting;
using Correctomatic.Shared.Redis;

namespace Correctomatic.Notifier.Worker;

public sealed partial class NotifierWorker
{
    /// <summary>
    /// One entry, from read (or reclaim) to acknowledge or dead-letter. <paramref name="stopping"/> ends retry waits
    /// (the entry stays pending); <paramref name="abort"/> ends a request in flight once the grace period is over.
    /// </summary>
    private async Task ProcessAsync(StreamEntry entry, FirstAttemptGate gate, CancellationToken stopping, CancellationToken abort)
    {
        var parse = bodies.Parse(entry.Field(Shared.Contracts.StreamFields.Data));
        var jobId = parse.JobId ?? entry.Id;
        try
        {
            if (parse.Request is not { } request)
            {
                // Poison: no callback can ever be made from it. Dead-letter (atomically with the ack) so it is seen, not lost.
                Log.InvalidEntry(logger, entry.Id, parse.JobId, parse.WorkId, parse.Error!);
                NotifierMetrics.Job(queue.Stream, "invalid");
                await queue.TryDeadLetterAsync(entry, "invalid finished entry: " + parse.Error, abort).ConfigureAwait(false);
                return;
            }

            await DeliverWithRetriesAsync(entry, request, gate, stopping, abort).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Shutdown, or another notifier took the entry over: it stays pending in Redis, and whoever holds it goes on
            // from the attempt history.
        }
        catch (Exception ex) when (!FailurePolicy.IsFatal(ex))
        {
            // Redis trouble mid-way (transient) or a failure that may be this entry's (poison): leave it pending (not renewed
            // any more), so it is reclaimed and retried, and dead-lettered by the reclaim after QUEUE_MAX_DELIVERIES.
            Log.LeftPending(logger, jobId, parse.WorkId, ex.Message, ex);
            NotifierMetrics.Error(ex);
        }
    }

    private async Task DeliverWithRetriesAsync(StreamEntry entry, CallbackRequest request, FirstAttemptGate gate, CancellationToken stopping, CancellationToken abort)
    {
        // A first delivery (XREADGROUP >) cannot have a history; only a reclaimed entry (delivered before) can.
        var attempts = entry.DeliveryCount > 1
            ? (await history.LoadAsync(request.JobId, abort).ConfigureAwait(false)).ToList()
            : [];
        var keepFor = schedule.MaxAge + settings.ReclaimIdle + TimeSpan.FromHours(1);
        if (attempts.Any(a => a.Kind == AttemptKind.Delivered))
        {
            // The POST succeeded but the process died before the ack: acknowledge, do not send again.
            Log.AlreadyDelivered(logger, request.JobId, request.WorkId);
            await FinishAsync(entry, request, attempts, delivered: true, abort).ConfigureAwait(false);
            return;
        }

        if (attempts.Count > 0)
        {
            // Reclaimed, or read again after a restart: go on from the recorded attempts, on their schedule.
            if (schedule.NextAfter(attempts) is not { } resumeAt)
            {
                await FinishAsync(entry, request, attempts, delivered: false, abort).ConfigureAwait(false);
                return;
            }

            await WaitUntilAsync(resumeAt, stopping).ConfigureAwait(false);
        }

        while (true)
        {
            var outcome = await deliverer.DeliverAsync(request, attempts.Count + 1, abort).ConfigureAwait(false);
            gate.Done();
            attempts.Add(outcome);
            NotifierMetrics.Attempt(queue.Stream, outcome);
            if (outcome.Kind == AttemptKind.Delivered && attempts.Count == 1)
            {
                // The common case, one round trip: acknowledge. A crash before the ack sends the callback again after
                // reclaim, with the same Idempotency-Key (at least once); there is no history to clean up.
                Log.Delivered(logger, request.JobId, request.WorkId, request.Callback.Host, outcome.Attempt, outcome.ElapsedMs);
                NotifierMetrics.Delivered(queue.Stream, entry.Id, timeProvider.GetUtcNow());
                await queue.AcknowledgeAsync(entry.Id, abort).ConfigureAwait(false);
                return;
            }

            // Checkpoint: the outcome is in Redis before the entry is acknowledged or dead-lettered. A crash after the
            // POST and before this line sends the callback again after reclaim (same Idempotency-Key): at least once.
            await history.AppendAsync(request.JobId, outcome, keepFor, abort).ConfigureAwait(false);
            if (outcome.Kind == AttemptKind.Delivered)
            {
                Log.Delivered(logger, request.JobId, request.WorkId, request.Callback.Host, outcome.Attempt, outcome.ElapsedMs);
                NotifierMetrics.Delivered(queue.Stream, entry.Id, timeProvider.GetUtcNow());
                await FinishAsync(entry, request, attempts, delivered: true, abort).ConfigureAwait(false);
                return;
            }

            if (schedule.NextAfter(attempts) is not { } next)
            {
                await FinishAsync(entry, request, attempts, delivered: false, abort).ConfigureAwait(false);
                return;
            }

            NotifierMetrics.Retry(queue.Stream);
            Log.RetryScheduled(logger, request.JobId, request.WorkId, outcome.Attempt, request.Callback.Host, outcome.Detail,
                (long)(next - timeProvider.GetUtcNow()).TotalMilliseconds);

            // The retry waits here without a request slot: other callbacks flow meanwhile; the entry is renewed while held.
            await WaitUntilAsync(next, stopping).ConfigureAwait(false);
        }
    }

    private async Task WaitUntilAsync(DateTimeOffset at, CancellationToken stopping)
    {
        var delay = at - timeProvider.GetUtcNow();
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, timeProvider, stopping).ConfigureAwait(false);
        }
    }

    private async Task FinishAsync(StreamEntry entry, CallbackRequest request, List<AttemptOutcome> attempts, bool delivered, CancellationToken abort)
    {
        if (delivered)
        {
            // Checkpoint: acknowledged; the history is only a cache now (it expires on its own if this delete is lost).
            await queue.AcknowledgeAsync(entry.Id, abort).ConfigureAwait(false);
        }
        else
        {
            var last = attempts[^1];
            var why = last.Kind == AttemptKind.Final ? last.Detail : $"gave up after {attempts.Count} attempts (CALLBACK_MAX_ATTEMPTS={schedule.MaxAttempts}, CALLBACK_MAX_AGE={schedule.MaxAge}); last: {last.Detail}";
            var reason = $"callback to {request.Callback.GetLeftPart(UriPartial.Authority)} failed: {why}; attempts: "
                + JsonSerializer.Serialize(attempts);
            if (await queue.TryDeadLetterAsync(entry, reason, abort).ConfigureAwait(false) is null)
            {
                // Another notifier reclaimed it meanwhile: it owns the entry and its history now.
                Log.LeftPending(logger, request.JobId, request.WorkId, "taken over by another notifier before dead-lettering", null);
                return;
            }

            Log.DeadLettered(logger, request.JobId, request.WorkId, attempts.Count, why);
            NotifierMetrics.DeadLettered(queue.Stream);
        }

        await history.DeleteAsync(request.JobId, abort).ConfigureAwait(false);
    }
}
