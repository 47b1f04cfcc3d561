using Correctomatic.Shared.Contracts;

namespace Correctomatic.Completer.Rendezvous;

/// <summary>A running entry matched with its finished container: the job is ready to complete.</summary>
public sealed record Pairing(string ContainerId, string EntryId, RunningJob Job);
