namespace Correctomatic.Shared.Redis;

/// <summary>
/// At-least-once consumption of one stream by one consumer of one consumer group (issue #3). An entry stays pending
/// ("hidden, not removed", 001_7bbc1e78d041407d.txt) until it is handed off, dead-lettered or acknowledged;
/// if this consumer dies, another one reclaims it after <c>minIdle</c>.
/// </summary>
public interface IStreamQueue
{
    string Stream { get; }
    string Group { get; }
    string Consumer { get; }

    /// <summary>Creates the group (and the stream: MKSTREAM) when missing; idempotent.</summary>
    Task EnsureGroupAsync(CancellationToken cancellationToken = default);

    /// <summary>Reads up to <paramref name="count"/> new entries, blocking up to <paramref name="block"/>; empty on timeout. Uses a dedicated connection.</summary>
    Task<IReadOnlyList<StreamEntry>> ReadAsync(int count, TimeSpan block, CancellationToken cancellationToken = default);

    /// <summary>
    /// Claims entries pending longer than <paramref name="minIdle"/> in any consumer of the group (XAUTOCLAIM).
    /// Entries delivered more than the configured maximum are dead-lettered here and not returned.
    /// </summary>
    Task<IReadOnlyList<StreamEntry>> ReclaimAsync(TimeSpan minIdle, int count, CancellationToken cancellationToken = default);

    /// <summary>Acknowledges an entry whose work needs no hand-off (e.g. a running entry meant for another Docker host's group).</summary>
    Task AcknowledgeAsync(string entryId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Atomically (one Lua script, Shared/Redis/Streams/StreamScripts.cs) adds <paramref name="fields"/> to
    /// <paramref name="nextStream"/> and acknowledges <paramref name="entryId"/>, if the entry is still pending for this
    /// consumer: a crash can neither lose the job nor duplicate it. The new entry's id, or null (nothing done) when another
    /// consumer reclaimed the entry meanwhile. Safe to run again when its outcome is unknown.
    /// </summary>
    Task<string?> TryHandOffAsync(string entryId, string nextStream, IReadOnlyList<KeyValuePair<string, string>> fields,
        CancellationToken cancellationToken = default);

    /// <summary>Atomically moves the entry to the dead stream with <paramref name="reason"/> and its original fields, and acknowledges it; null (nothing done) when another consumer reclaimed it meanwhile.</summary>
    Task<string?> TryDeadLetterAsync(StreamEntry entry, string reason, CancellationToken cancellationToken = default);

    /// <summary>Resets the idle time of entries this consumer still works on, so no other consumer reclaims them; returns the ids still pending for this consumer (the others were taken over: stop working on them).</summary>
    Task<IReadOnlyList<string>> RenewOwnedAsync(IReadOnlyCollection<string> entryIds, CancellationToken cancellationToken = default);
}
