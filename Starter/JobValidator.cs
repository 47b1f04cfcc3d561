using System.Globalization;
using System.Text;
using System.Text.Json;
using Correctomatic.Shared.Contracts;
using Correctomatic.Shared.Redis;
using Correctomatic.Shared.Schemas;

namespace Correctomatic.Starter;

/// <summary>
/// Turns a <c>pending</c> entry into a decision (issue #5). First it looks for a usable callback, because without one
/// nobody can be told about a refusal (→ dead). From then on every problem is a rejection with a message the sender can
/// act on: token, schema, image allowlist, params, limits, file.
/// </summary>
public sealed class JobValidator(
    EntryReader entries, ImageAllowlist allowlist, LimitsPolicy limits, SubmissionFiles files, JobTokenVerifier tokens,
    RefusedParams? refusedParams = null)
{
    public async Task<JobDecision> ValidateAsync(StreamEntry entry, CancellationToken cancellationToken = default)
    {
        // A rerun after an infrastructure fault keeps its first attempt's id (issue #15); anything else is its entry's id.
        var (jobId, attempt) = JobAttempt.OfPending(entry.Id, entry.Field(StreamFields.JobId), entry.Field(StreamFields.Attempt));
        if (entry.Field(StreamFields.Data) is not { } data)
        {
            return JobDecision.Dead(jobId, null, EntryReader.NoData);
        }

        var (callback, workId, deadReason) = ReadCallback(data);
        if (deadReason is not null)
        {
            return JobDecision.Dead(jobId, workId, deadReason);
        }

        JobDecision Reject(string message) => JobDecision.Reject(jobId, workId, callback!, message);

        DateTimeOffset? rerunOf = attempt > 1 && StreamId.TryParse(jobId, out var firstId)
            ? DateTimeOffset.FromUnixTimeMilliseconds((long)firstId.Milliseconds) : null;
        if (await tokens.CheckAsync(entry.Field(StreamFields.Token), Encoding.UTF8.GetBytes(data), rerunOf) is { } tokenError)
        {
            return Reject(tokenError);
        }

        // Data is a JSON object here (ReadCallback parsed it), so what fails is the schema or the record, a rejection.
        var read = entries.Read<PendingJob>(data, SchemaName.Pending, "the job");
        if (!read.IsRead)
        {
            return Reject(read.Reason);
        }

        var job = read.Record;
        if (!allowlist.IsAllowed(job.Image))
        {
            return Reject($"image '{job.Image}' is not allowed on this starter (allowed: {string.Join(", ", allowlist.Patterns)})");
        }

        var (env, paramsError) = JobParams.Parse(job.Params, refusedParams);
        if (paramsError is not null)
        {
            return Reject(paramsError);
        }

        var decision = limits.Apply(job.Limits);
        if (decision.Rejection is { } limitsError)
        {
            return Reject(limitsError);
        }

        var (content, fileError) = await files.ReadAsync(job, cancellationToken);
        if (fileError is not null)
        {
            return Reject(fileError);
        }

        if (content!.Length > decision.Limits!.TmpBytes)
        {
            // The file lives in the job's /tmp (a tmpfs of tmp_mb): it would not fit, so the grader could never see it whole.
            return Reject($"the file is {content.Length} bytes, larger than the job's /tmp of {decision.Limits.TmpMb} MiB (tmp_mb)");
        }

        return JobDecision.Accept(new ValidatedJob
        {
            JobId = jobId,
            Attempt = attempt,
            WorkId = workId,
            Image = job.Image,
            Callback = callback!,
            Env = env,
            Limits = decision.Limits!,
            File = content!,
            QueuedAt = QueuedAt(jobId),
        });
    }

    /// <summary>When the producer added the entry: the millisecond part of a stream id ("1700000000000-0").</summary>
    public static DateTimeOffset QueuedAt(string entryId)
    {
        var dash = entryId.IndexOf('-', StringComparison.Ordinal);
        var ms = dash > 0 ? entryId[..dash] : entryId;
        return long.TryParse(ms, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? DateTimeOffset.FromUnixTimeMilliseconds(value)
            : DateTimeOffset.UnixEpoch;
    }

    /// <summary>The string, or null when it holds a lone UTF-16 surrogate (the job is then rejected for it, without its work_id).</summary>
    private static string? TryGetText(JsonElement element)
    {
        try
        {
            return element.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static (string? Callback, string? WorkId, string? DeadReason) ReadCallback(string data)
    {
        try
        {
            using var document = JsonDocument.Parse(data);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (null, null, "data is not a JSON object, so there is no callback to report to");
            }

            var root = document.RootElement;
            var workId = root.TryGetProperty("work_id", out var w) && w.ValueKind == JsonValueKind.String ? TryGetText(w) : null;
            if (!root.TryGetProperty("callback", out var c) || c.ValueKind != JsonValueKind.String)
            {
                return (null, workId, "the job has no callback, so nobody can be told the result");
            }

            var callback = c.GetString();
            return CallbackUrl.TryParse(callback, out _)
                ? (callback, workId, null)
                : (null, workId, $"callback '{callback}' is not an absolute http or https URL");
        }
        catch (JsonException ex)
        {
            return (null, null, $"data is not valid JSON ({ex.Message}), so there is no callback to report to");
        }
        catch (InvalidOperationException ex)
        {
            // GetString on a lone UTF-16 surrogate ("\ud800"): valid JSON text, but not text we can carry (issue #15).
            return (null, null, $"the callback or work_id is not valid text ({ex.Message}), so there is no callback to report to");
        }
    }
}
