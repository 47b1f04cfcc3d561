using Microsoft.Extensions.Logging;

namespace Correctomatic.Shared.Hosting;

/// <summary>
/// A stage's start-up step against Redis or the Docker engine (create its group, ask the engine, the first sweep and
/// reclaim), retried with a capped backoff until it succeeds or the service stops: a Redis that is restarting (or still
/// loading its AOF) or an engine that is down when a stage starts delays the stage instead of stopping it for good.
/// Every failure is logged; readiness reports the dependency meanwhile. (utils/chaos.sh found a Completer restarted
/// while Redis was down that stopped itself, and with it every completion.)
/// </summary>
public static class StartupRetry
{
    public static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(250);
    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(5);

    public static async Task<T> UntilDoneAsync<T>(string step, Func<CancellationToken, Task<T>> run, ILogger logger,
        TimeProvider time, CancellationToken stoppingToken, TimeSpan? firstDelay = null)
    {
        var delay = firstDelay ?? FirstDelay;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await run(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!FailurePolicy.IsFatal(ex) && !stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("start-up step '{Step}' failed (attempt {Attempt}), trying again in {Delay}: {Error}",
                    step, attempt, delay, ex.Message);
            }

            await Task.Delay(delay, time, stoppingToken).ConfigureAwait(false);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxDelay.Ticks));
        }
    }

    public static Task UntilDoneAsync(string step, Func<CancellationToken, Task> run, ILogger logger, TimeProvider time,
        CancellationToken stoppingToken, TimeSpan? firstDelay = null) =>
        UntilDoneAsync(step, async ct =>
        {
            await run(ct).ConfigureAwait(false);
            return true;
        }, logger, time, stoppingToken, firstDelay);
}
