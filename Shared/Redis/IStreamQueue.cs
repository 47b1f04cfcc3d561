namespace Correctomatic.Shared.Redis;

/// <summary>
/// At-least-once consumption of one stream by one consumer of one consumer group (issue #3). An entry read stays pending
/// (hidden from the other consumers, not removed: a consumer may die holding it) until it is handed off, dead-lettered or
/// acknowledged; if this consumer dies, another one reclaims it after <c>minIdle</c>.
/// </summary>
public interface IStreamQueue
{
    string Stream { get; }
    string Group { get; }
    string Consumer { get; }

    /// <summary>Creates the group (and the stream) when missing; idempotent.</summary>
    Task EnsureGroupAsync(CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="count"/> new entries, waiting up to <paramref name="block"/> for one; empty on timeout.</summary>
    Task<IReadOnlyList<StreamEntry>> ReadAsync(int count, TimeSpan block, CancellationToken cancellationToken = default);

    /// <summary>Takes over entries pending longer than <paramref name="minIdle"/> for any consumer of the group; those delivered more than the configured maximum are dead-lettered, not returned.</summary>
    Task<IReadOnlyList<StreamEntry>> ReclaimAsync(TimeSpan minIdle, int count, CancellationToken cancellationToken = default);

    /// <summary>Acknowledges an entry whose work needs no hand-off (e.g. a running entry meant for another Docker host's group).</summary>
    Task AcknowledgeAsync(string entryId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Atomically adds <paramref name="fields"/> to <paramref name="nextStream"/> and acknowledges <paramref name="entryId"/>,
    /// if the entry is still pending for this consumer: a crash can neither lose the job nor duplicate it. The new entry's
    /// id, or null (nothing done) when another consumer took the entry over. Safe to run again when its outcome is unknown.
    /// </summary>
    Task<string?> TryHandOffAsync(string entryId, string nextStream, IReadOnlyList<KeyValuePair<string, string>> fields,
        CancellationToken cancellationToken = default);

    /// <summary>A hand-off to the dead stream of the entry's fields with <paramref name="reason"/>; null (nothing done) when another consumer took it over.</summary>
    Task<string?> TryDeadLetterAsync(StreamEntry entry, string reason, CancellationToken cancellationToken = default);

    /// <summary>Resets the idle time of the entries still pending for this consumer, so no other one reclaims them, and returns their ids; stop working on the others.</summary>
    Task<IReadOnlyList<string>> RenewOwnedAsync(IReadOnlyCollection<string> entryIds, CancellationToken cancellationToken = default);
}
