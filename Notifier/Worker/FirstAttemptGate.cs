namespace Correctomatic.Notifier.Worker;

/// <summary>
/// Releases one "fresh" slot when an entry's first attempt is over (or the entry ends first), so the reader stays only a
/// little ahead of the senders: a backlog waits in Redis, not in this process's memory.
/// </summary>
internal sealed class FirstAttemptGate(SemaphoreSlim? slots)
{
    private int _done;

    public void Done()
    {
        if (slots is not null && Interlocked.Exchange(ref _done, 1) == 0)
        {
            slots.Release();
        }
    }
}
