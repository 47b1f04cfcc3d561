namespace Correctomatic.Shared.Contracts;

/// <summary>
/// Every outcome a callback receiver can tell apart (schemas/correctomatic_response.json).
/// Serialized in snake_case: <c>graded</c>, <c>grader_failed</c>, ...
/// </summary>
public enum JobStatus
{
    /// <summary>The grader said <c>success: true</c>.</summary>
    Graded,

    /// <summary>The grader said <c>success: false</c> (e.g. the submission does not compile).</summary>
    GraderFailed,

    /// <summary>The container ran past its wall-clock limit and was killed.</summary>
    Timeout,

    /// <summary>The kernel killed the container for exceeding its memory limit.</summary>
    OutOfMemory,

    /// <summary>The grader printed more than the output cap.</summary>
    OutputLimit,

    /// <summary>No valid response on stdout.</summary>
    InvalidOutput,

    /// <summary>Never started: invalid job, image not allowed, file missing or too large, bad signature.</summary>
    Rejected,

    /// <summary>Infrastructure failure.</summary>
    Error,
}
