namespace Correctomatic.Notifier.Delivery;

/// <summary>
/// One attempt under the service's limits (issue #7): first the host's turn (its in-flight cap and optional rate), then one of
/// NOTIFIER_CONCURRENCY slots for the request itself. Waiting for a retry happens elsewhere and holds neither, so a slow
/// or dead receiver occupies at most its requests in flight, never the queue.
/// </summary>
public sealed class Deliverer(CallbackSender sender, HostLimiter hostLimiter, int concurrency) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(concurrency, concurrency);

    public int InFlight => concurrency - _slots.CurrentCount;

    public string Algorithm => sender.Algorithm;

    public async Task<AttemptOutcome> DeliverAsync(CallbackRequest request, int attempt, CancellationToken cancellationToken)
    {
        using var hostTurn = await hostLimiter.AcquireAsync(request.Callback.Host, cancellationToken).ConfigureAwait(false);
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await sender.SendAsync(request, attempt, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _slots.Release();
        }
    }

    public void Dispose() => _slots.Dispose();
}
