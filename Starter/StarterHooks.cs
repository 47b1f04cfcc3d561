namespace Correctomatic.Starter;

/// <summary>
/// Fault points for tests (issue #5: "a starter killed between create and hand-off"). A hook that never returns stands
/// for a process that died on that line: nothing after it runs, no cleanup, no acknowledgement.
/// </summary>
public sealed class StarterHooks
{
    /// <summary>Runs after the container is created (file in, not started yet), with the job id and container id.</summary>
    public Func<string, string, CancellationToken, Task>? AfterCreate { get; init; }
}
