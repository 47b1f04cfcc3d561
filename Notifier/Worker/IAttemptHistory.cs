using Correctomatic.Notifier.Delivery;

namespace Correctomatic.Notifier.Worker;

/// <summary>
/// Every attempt made for a job's callback, kept outside the process (Redis) so a restarted or another notifier knows
/// how many attempts were made, when the first one was (total age), and whether one already succeeded (issue #7).
/// </summary>
public interface IAttemptHistory
{
    Task<IReadOnlyList<AttemptOutcome>> LoadAsync(string jobId, CancellationToken cancellationToken = default);

    /// <summary>Records an attempt; the record outlives <paramref name="keepFor"/> only if appended to again.</summary>
    Task AppendAsync(string jobId, AttemptOutcome outcome, TimeSpan keepFor, CancellationToken cancellationToken = default);

    Task DeleteAsync(string jobId, CancellationToken cancellationToken = default);
}
