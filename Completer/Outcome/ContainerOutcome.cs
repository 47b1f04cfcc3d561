namespace Correctomatic.Completer.Outcome;

/// <summary>
/// What the completer learnt about a finished grader container: how it ended and what it printed. The input of
/// <see cref="OutcomeClassifier"/>, which turns it into a callback body.
/// </summary>
public sealed record ContainerOutcome
{
    /// <summary>The container was gone before we could read it (removed by someone else, engine reset); the reason says how we know.</summary>
    public string? VanishedReason { get; init; }

    public long? ExitCode { get; init; }

    /// <summary>The engine's State.Error: set when the engine, not the program, ended (or failed to run) the container.</summary>
    public string? EngineError { get; init; }
    public bool OomKilled { get; init; }

    /// <summary>The container ran past its deadline (we killed it, or it ended after the deadline).</summary>
    public bool TimedOut { get; init; }

    /// <summary>The container never ran (still <c>created</c> when its deadline passed).</summary>
    public bool NeverStarted { get; init; }

    /// <summary>The container had not ended when it was read: nothing about it is final yet, so it must not be classified.</summary>
    public bool StillRunning { get; init; }

    public byte[] Stdout { get; init; } = [];
    public byte[] Stderr { get; init; } = [];
    public bool StdoutTruncated { get; init; }
    public bool StderrTruncated { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }

    public static ContainerOutcome Vanished(string reason) => new() { VanishedReason = reason };
}
