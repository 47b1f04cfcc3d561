using System.Text;
using System.Text.Json;
using Correctomatic.Shared.Contracts;
using Correctomatic.Shared.Schemas;

namespace Correctomatic.Notifier.Delivery;

/// <summary>
/// Turns the <c>data</c> of a <c>finished</c> entry (schemas/finished.json) into the callback: the <c>response</c>
/// object, written canonically and validated against schemas/correctomatic_response.json before anything is sent
/// (issue #7). The response is taken as the completer wrote it, field for field, so nothing the grader said is lost.
/// </summary>
public sealed class CallbackBody(SchemaCatalog schemas)
{
    private readonly EntryReader _entries = new(schemas);

    public CallbackParse Parse(string? data)
    {
        try
        {
            return ParseCore(data);
        }
        catch (InvalidOperationException ex)
        {
            // A string with a lone UTF-16 surrogate ("\ud800") is valid JSON text but cannot be read as text nor written
            // canonically: a poison entry, dead-lettered with the reason rather than thrown at the worker (issue #15).
            return CallbackParse.Fail($"data holds text that cannot be written canonically: {ex.Message}");
        }
    }

    private CallbackParse ParseCore(string? data)
    {
        var read = _entries.Read<FinishedData>(data, SchemaName.Finished);
        if (!read.IsRead)
        {
            return CallbackParse.Fail(read.Reason);
        }

        var (jobId, callback, response) = (read.Record.JobId, read.Record.Callback, read.Record.Response);
        var workId = StringProperty(response, "work_id");
        if (!CallbackUrl.TryParse(callback, out var uri))
        {
            return CallbackParse.Fail($"callback '{callback}' is not an http(s) URL", jobId, workId);
        }

        byte[] body;
        try
        {
            body = CanonicalJson.ToUtf8Bytes(response);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return CallbackParse.Fail($"response cannot be written canonically: {ex.Message}", jobId, workId);
        }

        var errors = schemas.Validate(SchemaName.CorrectomaticResponse, Encoding.UTF8.GetString(body));
        if (errors.Count > 0)
        {
            return CallbackParse.Fail("response does not match correctomatic_response.json: " + string.Join("; ", errors), jobId, workId);
        }

        if (StringProperty(response, "job_id") != jobId)
        {
            return CallbackParse.Fail("response.job_id differs from job_id", jobId, workId);
        }

        return CallbackParse.Ok(new CallbackRequest(jobId, workId, uri, body));
    }

    private static string? StringProperty(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
