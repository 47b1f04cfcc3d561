using System.Globalization;

namespace Correctomatic.Completer.Outcome;

/// <summary>
/// Whether a finished container's end was the infrastructure's doing rather than the submission's (issue #15): then its
/// output is no verdict, and the job runs again. Our deadline kill and the kernel's OOM killer are verdicts (timeout,
/// out_of_memory); so is everything the program did to itself. What is left: the container vanished, the engine reports
/// an error of its own (State.Error), or the container's main process died of a signal that comes from outside — an
/// operator's <c>docker kill</c>, an engine or containerd shutting down (SIGTERM, then SIGKILL), a host shutdown.
/// </summary>
public static class InfrastructureFault
{
    /// <summary>
    /// Signals a process raises on itself by what it runs (a crash, an abort, a resource limit it hit): a grader whose
    /// submission segfaults under a shell exits 139, and running it again would only repeat that. Exit codes 129..192
    /// are 128 + the signal number (https://tldp.org/LDP/abs/html/exitcodes.html; Docker reports them so for a killed PID 1).
    /// </summary>
    private static readonly Dictionary<int, string> s_selfInflicted = new()
    {
        [4] = "SIGILL", [5] = "SIGTRAP", [6] = "SIGABRT", [7] = "SIGBUS", [8] = "SIGFPE", [11] = "SIGSEGV",
        [13] = "SIGPIPE", [24] = "SIGXCPU", [25] = "SIGXFSZ", [31] = "SIGSYS",
    };

    private static readonly Dictionary<int, string> s_names = new()
    {
        [1] = "SIGHUP", [2] = "SIGINT", [3] = "SIGQUIT", [9] = "SIGKILL", [10] = "SIGUSR1", [12] = "SIGUSR2", [14] = "SIGALRM", [15] = "SIGTERM",
    };

    /// <summary>Null when the outcome is the job's own; else why it is not, in words an operator can act on.</summary>
    public static string? Cause(ContainerOutcome outcome)
    {
        if (outcome.VanishedReason is { } vanished)
        {
            return vanished;
        }

        if (outcome.TimedOut || outcome.OomKilled || outcome.StillRunning || outcome.NeverStarted)
        {
            return null; // verdicts of their own (NeverStarted keeps its error: nothing ran that could be rerun differently)
        }

        if (outcome.EngineError is { Length: > 0 } engineError)
        {
            return $"the Docker engine reported an error for the grader container: {engineError}";
        }

        if (outcome.ExitCode is >= 129 and <= 192 && (int)(outcome.ExitCode.Value - 128) is var signal && !s_selfInflicted.ContainsKey(signal))
        {
            var name = s_names.TryGetValue(signal, out var known) ? known : "signal " + signal.ToString(CultureInfo.InvariantCulture);
            return $"the grader container was killed by {name} (exit code {outcome.ExitCode}), neither at its deadline nor by the kernel's OOM killer: by an operator, the Docker engine or the host";
        }

        return null;
    }
}
