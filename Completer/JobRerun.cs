using System.Globalization;
using Correctomatic.Shared.Contracts;
using Correctomatic.Shared.Redis;

namespace Correctomatic.Completer;

/// <summary>
/// What a running entry carries to put its job back into <c>pending</c> after an infrastructure fault (issue #15): the
/// attempt it is, and the pending entry's data and token as the starter copied them. Entries of an older starter carry
/// no data; their jobs cannot run again and complete with error and the cause.
/// </summary>
internal sealed record JobRerun(int Attempt, string? PendingData, string? PendingToken)
{
    public static JobRerun Of(StreamEntry entry) =>
        new(JobAttempt.OfRunning(entry.Field(StreamFields.Attempt)), entry.Field(StreamFields.PendingData), entry.Field(StreamFields.PendingToken));

    /// <summary>Another attempt is allowed: the data is there and at most <paramref name="retries"/> reruns happened so far.</summary>
    public bool CanRunAgain(int retries) => PendingData is not null && Attempt <= retries;

    /// <summary>The fields of the pending entry for the next attempt: the job as it came, plus its first id and the attempt.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> PendingFields(string jobId, string cause)
    {
        var fields = new List<KeyValuePair<string, string>>(5) { new(StreamFields.Data, PendingData!) };
        if (PendingToken is not null)
        {
            fields.Add(new(StreamFields.Token, PendingToken));
        }

        fields.Add(new(StreamFields.JobId, jobId));
        fields.Add(new(StreamFields.Attempt, (Attempt + 1).ToString(CultureInfo.InvariantCulture)));
        fields.Add(new(StreamFields.RerunCause, cause));
        return fields;
    }

    /// <summary>The error a job completes with when it may not run again.</summary>
    public string GiveUpMessage(string cause, int retries) => PendingData is null
        ? $"{cause}; not run again: its running entry does not carry the job (written by an older starter)"
        : $"{cause}; after {Attempt} attempts (COMPLETER_INFRA_RETRIES={retries})";
}
