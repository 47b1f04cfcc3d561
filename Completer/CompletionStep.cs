namespace Correctomatic.Completer;

/// <summary>
/// How a completion ended: handed off to <c>finished</c> (<see cref="Finished"/>), put back into <c>pending</c> after an
/// infrastructure fault (<see cref="RerunCause"/>), or neither because another completer took the entry over.
/// </summary>
internal sealed record CompletionStep(Shared.Contracts.FinishedJob? Finished, string? RerunCause = null)
{
    public static readonly CompletionStep TakenOver = new(Finished: null);
}
