using Correctomatic.Shared.Redis;

namespace Correctomatic.Tests.Integration.Infrastructure;

/// <summary>The stages' own queue steps, for a test that owns its entry and expects the step to happen.</summary>
public static class StreamQueueSteps
{
    public static async Task<string> HandOffOwnedAsync(this IStreamQueue queue, string entryId, string nextStream,
        IReadOnlyList<KeyValuePair<string, string>> fields, CancellationToken cancellationToken = default) =>
        await queue.TryHandOffAsync(entryId, nextStream, fields, cancellationToken)
        ?? throw new InvalidOperationException($"entry {entryId} of {queue.Stream} is no longer pending for {queue.Consumer}");

    public static async Task<string> DeadLetterOwnedAsync(this IStreamQueue queue, StreamEntry entry, string reason,
        CancellationToken cancellationToken = default) =>
        await queue.TryDeadLetterAsync(entry, reason, cancellationToken)
        ?? throw new InvalidOperationException($"entry {entry.Id} of {queue.Stream} is no longer pending for {queue.Consumer}");
}
