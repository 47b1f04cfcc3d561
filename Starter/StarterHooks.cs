namespace Correctomatic.Starter;

/// <summary>
/// Fault points for tests (issue #5: "a starter killed between create and hand-off"). A hook that never returns stands
/// for a process that died on that line: nothing after it runs, no cleanup, no acknowledgement.
/// </summary>
public sealed class StarterHooks
{
    /// <summary>Runs after the container is created (file in, not started yet), with the job id and container id.</summary>
    public Func<string, string, CancellationToken, Task>? AfterCreate { get; init; }

    /// <summary>
    /// Runs after the file is written to the container's stdin and before the write side is closed, with the job id and
    /// container id: a close the engine never passes on (a live-restore restart in between) holds here.
    /// </summary>
    public Func<string, string, CancellationToken, Task>? BeforeStdinClose { get; init; }
}
