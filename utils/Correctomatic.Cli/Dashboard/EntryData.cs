using System.Text.Json;

namespace Correctomatic.Cli.Dashboard;

/// <summary>
/// What the dashboard reads out of an entry's <c>data</c>: untrusted JSON, so every field is optional and a document
/// that does not parse gives an empty result rather than an exception.
/// </summary>
public sealed record EntryData(string? JobId, string? WorkId, string? Status, double? Grade, double? MaxGrade, string? Error,
    DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt)
{
    public static readonly EntryData Empty = new(null, null, null, null, null, null, null, null);

    /// <summary>Reads a pending (<c>work_id</c> at the top), running (<c>job_id</c>) or finished (<c>response</c>) document.</summary>
    public static EntryData Parse(string? data)
    {
        if (data is null)
        {
            return Empty;
        }

        try
        {
            using var document = JsonDocument.Parse(data);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return Empty;
            }

            var response = root.TryGetProperty("response", out var r) && r.ValueKind == JsonValueKind.Object ? r : (JsonElement?)null;
            var timings = response is { } rs && rs.TryGetProperty("timings", out var t) && t.ValueKind == JsonValueKind.Object ? t : (JsonElement?)null;
            return new EntryData(
                String(root, "job_id") ?? (response is { } a ? String(a, "job_id") : null),
                String(root, "work_id") ?? (response is { } b ? String(b, "work_id") : null),
                response is { } c ? String(c, "status") : null,
                response is { } d ? Number(d, "grade") : null,
                response is { } e ? Number(e, "max_grade") : null,
                response is { } f ? String(f, "error") : null,
                timings is { } g ? Time(g, "started_at") : null,
                timings is { } h ? Time(h, "finished_at") : null);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return Empty;
        }
    }

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static double? Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var d) ? d : null;

    private static DateTimeOffset? Time(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.TryGetDateTimeOffset(out var time) ? time : null;
}
