using System.Globalization;
using System.Text.Json;

namespace Correctomatic.Completer.Outcome;

/// <summary>
/// Whether a grader's response can be carried to the callback as written JSON (issue #15). Valid JSON text can still hold
/// what no writer accepts: a lone UTF-16 surrogate in a string (<c>"\ud800"</c>, which node's <c>JSON.stringify</c>
/// writes for <c>new Error('\ud800')</c>), a number beyond a double (<c>1e400</c> reads as Infinity), or nesting deeper
/// than any reader here accepts. Each made the completer fail to write the result and retry it forever; now each is a
/// reason for <c>invalid_output</c>.
/// </summary>
public static class WritableJson
{
    /// <summary>
    /// The deepest response carried; deeper is refused with the reason. System.Text.Json reads and writes 64 levels by
    /// default, in the completer's writer and every reader after it, and the finished entry puts the response one level
    /// down (<c>{"response": …}</c>): at 64 the finished entry could not be written.
    /// </summary>
    public const int MaxDepth = 63;

    /// <summary>Why <paramref name="json"/> cannot be written back canonically, or null when it can.</summary>
    public static string? Problem(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = MaxDepth });
        }
        catch (JsonException ex)
        {
            return ex.Message.Contains("depth", StringComparison.OrdinalIgnoreCase)
                ? $"it is nested deeper than {MaxDepth} levels"
                : $"it is not valid JSON ({ex.Message})";
        }

        using (document)
        {
            return Problem(document.RootElement, "#");
        }
    }

    private static string? Problem(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (!IsWellFormed(() => _ = property.Name))
                    {
                        return $"a key in {path} holds a lone UTF-16 surrogate (e.g. \\ud800), which is not text";
                    }

                    if (Problem(property.Value, path + "/" + property.Name) is { } inner)
                    {
                        return inner;
                    }
                }

                return null;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (Problem(item, path + "/" + i.ToString(CultureInfo.InvariantCulture)) is { } inner)
                    {
                        return inner;
                    }

                    i++;
                }

                return null;
            case JsonValueKind.String:
                return IsWellFormed(() => _ = element.GetString())
                    ? null
                    : $"the string at {path} holds a lone UTF-16 surrogate (e.g. \\ud800), which is not text";
            case JsonValueKind.Number:
                return element.TryGetDouble(out var number) && double.IsFinite(number)
                    ? null
                    : $"the number at {path} ({Clip(element.GetRawText())}) is beyond the range of a double (it reads as Infinity)";
            default:
                return null;
        }
    }

    private static bool IsWellFormed(Action read)
    {
        try
        {
            read();
            return true;
        }
        catch (InvalidOperationException)
        {
            // System.Text.Json: "Cannot read incomplete UTF-16 JSON text as string with missing low surrogate."
            return false;
        }
    }

    private static string Clip(string text) => text.Length <= 24 ? text : text[..24] + "…";
}
