namespace Correctomatic.Shared.Hosting;

/// <summary>What a failure means for the stage that caught it (<see cref="FailurePolicy"/>).</summary>
public enum FailureKind
{
    /// <summary>Redis or the engine could not be reached or did not answer in time: waiting helps, and it says nothing about the job.</summary>
    Transient,

    /// <summary>
    /// Anything else a stage survives: an error answer from Redis or the engine, data it cannot read, a bug. It may be the
    /// job's, so on a job it counts towards that job's bounded failure outcome; in a loop with no job it is waited out.
    /// </summary>
    Poison,

    /// <summary>The process cannot be trusted to go on (out of memory, stack exhausted, broken code): never caught.</summary>
    Fatal,
}
