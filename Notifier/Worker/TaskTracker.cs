using System.Collections.Concurrent;

namespace Correctomatic.Notifier.Worker;

/// <summary>Keeps every per-entry task until it ends, so shutdown can wait for them and none is fire-and-forget.</summary>
internal sealed class TaskTracker
{
    private readonly ConcurrentDictionary<long, Task> _tasks = new();
    private long _next;

    public int Count => _tasks.Count;

    public void Track(Func<Task> start)
    {
        var id = Interlocked.Increment(ref _next);
        var task = start();
        _tasks[id] = task;
        _ = task.ContinueWith(_ => _tasks.TryRemove(id, out Task? _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    public Task WhenAll() => Task.WhenAll(_tasks.Values);
}
