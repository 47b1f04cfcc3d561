using Microsoft.Extensions.Logging;

namespace Correctomatic.Shared.Hosting;

/// <summary>
/// The one loop shape of every stage's background work (issue #18): read, reclaim, renew, sweep. A loop runs its step,
/// waits its interval and runs it again, until the service stops. A failure is whatever <see cref="FailurePolicy"/>
/// says: fatal is let through; anything else is counted (<paramref name="onFailure"/>, the stage's metric), logged with
/// the loop's name, and the step runs again after <paramref name="retryDelay"/>, because a loop has no job to blame.
/// Stopping ends a loop quietly at its next await: whatever its step had read stays un-acknowledged in Redis and is
/// reclaimed later, which is each stage's crash guarantee.
/// </summary>
public sealed class StageLoop(TimeSpan retryDelay, TimeProvider time, ILogger logger, Action<Exception>? onFailure = null)
{
    /// <param name="name">Names the loop in its log lines ("read pending", "sweep").</param>
    /// <param name="interval">The wait between two runs of the step; zero for a read, whose own block is the wait.</param>
    /// <param name="waitFirst">Wait the interval before the first run too (its first run was part of the start-up).</param>
    public async Task RunAsync(string name, Func<CancellationToken, Task> step, TimeSpan interval, CancellationToken stoppingToken,
        bool waitFirst = false)
    {
        var wait = waitFirst;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (wait && interval > TimeSpan.Zero)
                {
                    await Task.Delay(interval, time, stoppingToken).ConfigureAwait(false);
                }

                wait = true;
                await step(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (!FailurePolicy.IsFatal(ex))
            {
                onFailure?.Invoke(ex);
                logger.LogWarning(ex, "loop '{Loop}' failed ({Kind}), again in {Delay}: {Error}", name,
                    FailurePolicy.Classify(ex), retryDelay, ex.Message);
                await Task.Delay(retryDelay, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                wait = false;
            }
        }
    }
}
