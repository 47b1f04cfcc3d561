using Correctomatic.Shared.Contracts;

namespace Correctomatic.Completer.Rendezvous;

/// <summary>A running entry matched with its finished container: the job is ready to complete.</summary>
/// <param name="Prepared">The <c>finished</c> document of an earlier attempt whose container is already removed and
/// whose hand-off failed; the retry hands this off instead of reading a container that is gone.</param>
public sealed record Pairing(string ContainerId, string EntryId, RunningJob Job, FinishedJob? Prepared = null);
