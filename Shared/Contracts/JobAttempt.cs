using System.Globalization;

namespace Correctomatic.Shared.Contracts;

/// <summary>
/// Which attempt at a job an entry is (issue #15). A job is normally known by its pending entry's id; after an
/// infrastructure fault the completer adds the job to <c>pending</c> again (a new entry, so a new id) with
/// <c>job_id</c> and <c>attempt</c>, and the rerun keeps the first id: one job id, one callback, one container name.
/// </summary>
public static class JobAttempt
{
    /// <summary>The highest attempt a starter accepts: 1 + the top of COMPLETER_INFRA_RETRIES' range.</summary>
    public const int MaxAttempt = 11;

    /// <summary>
    /// The job id and attempt of a <c>pending</c> entry. The fields count only together, for attempts 2..<see cref="MaxAttempt"/>,
    /// and with a well-formed id older than the entry itself (a rerun is always added after its first attempt); anything
    /// else is a first attempt under the entry's own id, so a producer cannot pick an arbitrary id by adding fields.
    /// </summary>
    public static (string JobId, int Attempt) OfPending(string entryId, string? jobIdField, string? attemptField)
    {
        if (!int.TryParse(attemptField, NumberStyles.None, CultureInfo.InvariantCulture, out var attempt) || attempt is < 2 or > MaxAttempt
            || !StreamId.TryParse(jobIdField, out var earlier) || !jobIdField!.Contains('-', StringComparison.Ordinal)
            || !StreamId.TryParse(entryId, out var own) || earlier >= own || earlier == StreamId.Zero)
        {
            return (entryId, 1);
        }

        return (earlier.ToString(), attempt);
    }

    /// <summary>The attempt a <c>running</c> entry is of; 1 when the field is missing or not a number in range (an older starter).</summary>
    public static int OfRunning(string? attemptField) =>
        int.TryParse(attemptField, NumberStyles.None, CultureInfo.InvariantCulture, out var attempt) && attempt is >= 1 and <= MaxAttempt ? attempt : 1;
}
