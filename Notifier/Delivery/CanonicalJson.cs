using System.Buffers;
using System.Text.Json;

namespace Correctomatic.Notifier.Delivery;

/// <summary>
/// Writes JSON with object keys sorted by UTF-16 code unit (as RFC 8785 orders them) and no insignificant white space
/// (issue #7), so the signed bytes of a callback are reproducible from its content. Numbers and strings are written as
/// System.Text.Json writes them (shortest round-trip numbers), not RFC 8785's full number rules: receivers verify the
/// bytes they got, so exact JCS is not needed, only determinism.
/// </summary>
public static class CanonicalJson
{
    private static readonly JsonWriterOptions s_writerOptions = new()
    {
        Indented = false,
        SkipValidation = false,
        // Keep non-ASCII text as UTF-8 instead of \u escapes: shorter, and still one fixed form.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static byte[] ToUtf8Bytes(JsonElement element)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer, s_writerOptions))
        {
            Write(writer, element);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void Write(Utf8JsonWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                var properties = new List<JsonProperty>();
                foreach (var property in element.EnumerateObject())
                {
                    properties.Add(property);
                }

                properties.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
                for (var i = 0; i < properties.Count; i++)
                {
                    if (i > 0 && properties[i].Name == properties[i - 1].Name)
                    {
                        // Duplicate keys have no single meaning; refuse rather than sign an ambiguous body.
                        throw new JsonException($"duplicate key '{properties[i].Name}'");
                    }

                    writer.WritePropertyName(properties[i].Name);
                    Write(writer, properties[i].Value);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }
}
