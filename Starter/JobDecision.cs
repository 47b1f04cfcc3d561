namespace Correctomatic.Starter;

/// <summary>What validation made of a pending entry (issue #5).</summary>
public enum JobDecisionKind
{
    /// <summary>Valid: create and start the container.</summary>
    Accepted,

    /// <summary>Invalid but with a usable callback: one <c>finished</c> entry with status rejected.</summary>
    Rejected,

    /// <summary>No usable callback (bad JSON, no or invalid callback): the entry goes to <c>dead</c>.</summary>
    Dead,
}

/// <summary>The outcome of validating one entry; <see cref="Message"/> is written for the person who sent the job.</summary>
public sealed record JobDecision(JobDecisionKind Kind, string JobId, string? WorkId, string? Callback, string? Message, ValidatedJob? Job)
{
    public static JobDecision Accept(ValidatedJob job) => new(JobDecisionKind.Accepted, job.JobId, job.WorkId, job.Callback, null, job);

    public static JobDecision Reject(string jobId, string? workId, string callback, string message) =>
        new(JobDecisionKind.Rejected, jobId, workId, callback, message, null);

    public static JobDecision Dead(string jobId, string? workId, string reason) => new(JobDecisionKind.Dead, jobId, workId, null, reason, null);
}
