namespace Correctomatic.Shared.Contracts;

/// <summary>Field names inside a stream entry (issue #2: one JSON document in <c>data</c>, an optional <c>token</c>).</summary>
public static class StreamFields
{
    /// <summary>The JSON document of the entry.</summary>
    public const string Data = "data";

    /// <summary>Optional JWT binding a pending job to its exact <c>data</c> bytes (issue #5).</summary>
    public const string Token = "token";

    /// <summary>On <c>dead</c> entries: why the entry could never complete.</summary>
    public const string Reason = "reason";

    /// <summary>On <c>dead</c> entries: the stream the entry died in.</summary>
    public const string Source = "source";

    /// <summary>On <c>dead</c> entries: the id the entry had in its source stream.</summary>
    public const string SourceId = "source_id";

    /// <summary>
    /// On a <c>pending</c> entry the completer put back after an infrastructure fault (issue #15): the job id of the first
    /// attempt, which the rerun keeps (see <see cref="JobAttempt"/>).
    /// </summary>
    public const string JobId = "job_id";

    /// <summary>On rerun <c>pending</c> entries and on every <c>running</c> entry: which attempt at the job this is (1 = the first).</summary>
    public const string Attempt = "attempt";

    /// <summary>On rerun <c>pending</c> entries: why the earlier attempt was not the job's verdict (for operators).</summary>
    public const string RerunCause = "rerun_cause";

    /// <summary>On <c>running</c> entries: the pending entry's <c>data</c>, so the completer can put the job back as it came.</summary>
    public const string PendingData = "pending_data";

    /// <summary>On <c>running</c> entries: the pending entry's <c>token</c>, when it had one (it binds the same data bytes).</summary>
    public const string PendingToken = "pending_token";
}
