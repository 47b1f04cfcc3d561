namespace Correctomatic.Notifier.Delivery;

/// <summary>A finished entry turned into a callback, or why it cannot be (a poison entry, dead-lettered at once).</summary>
public sealed record CallbackParse(CallbackRequest? Request, string? Error, string? JobId, string? WorkId)
{
    public static CallbackParse Ok(CallbackRequest request) => new(request, null, request.JobId, request.WorkId);

    public static CallbackParse Fail(string error, string? jobId = null, string? workId = null) => new(null, error, jobId, workId);
}
