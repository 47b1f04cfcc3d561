using System.Text.Json;
using Correctomatic.Shared.Schemas;

namespace Correctomatic.Shared.Contracts;

/// <summary>
/// The one reader of a stream entry's <c>data</c> (issue #2: one JSON document per entry; issue #18: one reader for
/// every stage and the CLI). In order: the field is there, it is a JSON object no deeper than System.Text.Json's
/// default 64 levels, it matches its schema in <c>schemas/</c>, and it deserialises into the contract record. Whatever
/// fails comes back as the reason, never as an exception: an entry comes from another process and may hold anything,
/// and one that throws would fail the whole read batch (issue #15).
/// </summary>
public sealed class EntryReader(SchemaCatalog schemas)
{
    /// <summary>The reason for an entry without a <c>data</c> field.</summary>
    public const string NoData = $"the entry has no '{StreamFields.Data}' field";

    /// <summary>How many schema errors a reason lists; the first few say what is wrong, more only lengthen the message.</summary>
    private const int SchemaErrorsShown = 5;

    public static EntryReader Default { get; } = new(SchemaCatalog.Default);

    /// <summary>Reads the <c>data</c> field of an entry's <paramref name="fields"/>; see <see cref="Read{T}(string?, SchemaName, string)"/>.</summary>
    public EntryRead<T> Read<T>(IReadOnlyDictionary<string, string> fields, SchemaName schema, string subject = "data")
        where T : class =>
        Read<T>(fields.GetValueOrDefault(StreamFields.Data), schema, subject);

    /// <summary>
    /// Reads <paramref name="data"/> into a <typeparamref name="T"/> valid against <paramref name="schema"/>.
    /// <paramref name="subject"/> starts each reason ("the job does not match schemas/pending.json: …"), so that a
    /// stage's reasons read as its users know them.
    /// </summary>
    public EntryRead<T> Read<T>(string? data, SchemaName schema, string subject = "data")
        where T : class
    {
        if (data is null)
        {
            return Fail<T>(NoData);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(data);
        }
        catch (JsonException ex)
        {
            // Nesting past 64 levels lands here too ("The maximum configured depth of 64 has been exceeded"): no writer
            // downstream would accept it either.
            return Fail<T>($"{subject} is not JSON: {ex.Message}");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return Fail<T>($"{subject} is not a JSON object");
            }

            var errors = schemas.Validate(schema, data);
            if (errors.Count > 0)
            {
                return Fail<T>($"{subject} does not match schemas/{SchemaCatalog.FileName(schema)}: "
                    + string.Join("; ", errors.Take(SchemaErrorsShown)));
            }

            try
            {
                // The root is an object, so the record is never null.
                return new EntryRead<T>(document.RootElement.Deserialize<T>(ContractJson.Options)!, null);
            }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException)
            {
                // InvalidOperationException: a string holding a lone UTF-16 surrogate ("\ud800"), valid JSON text that is
                // not text; no writer downstream accepts it.
                return Fail<T>($"{subject} cannot be read: {ex.Message}");
            }
        }
    }

    private static EntryRead<T> Fail<T>(string reason)
        where T : class => new(null, reason);
}
