using System.Collections.Concurrent;
using NJsonSchema;
using NJsonSchema.Validation;

namespace Correctomatic.Shared.Schemas;

/// <summary>
/// Loads the draft-07 schemas in <c>schemas/</c> (copied next to the assembly) once, and validates documents against them.
/// Errors come back as short sentences with the JSON path, fit for a job's error message.
/// </summary>
public sealed class SchemaCatalog
{
    private static readonly Lazy<SchemaCatalog> s_default = new(() => new SchemaCatalog(DefaultDirectory()));
    private readonly string _directory;
    private readonly ConcurrentDictionary<SchemaName, JsonSchema> _schemas = new();

    public SchemaCatalog(string directory) => _directory = directory;

    public static SchemaCatalog Default => s_default.Value;

    public static string FileName(SchemaName name) => name switch
    {
        SchemaName.Pending => "pending.json",
        SchemaName.Running => "running.json",
        SchemaName.Finished => "finished.json",
        SchemaName.ContainerResponse => "container_response.json",
        SchemaName.CorrectomaticResponse => "correctomatic_response.json",
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    public JsonSchema Get(SchemaName name) => _schemas.GetOrAdd(name, n =>
        JsonSchema.FromFileAsync(Path.Combine(_directory, FileName(n))).GetAwaiter().GetResult());

    /// <summary>Validates <paramref name="json"/>; returns the problems, empty when valid. Malformed JSON is one problem, not an exception.</summary>
    public IReadOnlyList<string> Validate(SchemaName name, string json)
    {
        ICollection<ValidationError> errors;
        try
        {
            errors = Get(name).Validate(json);
        }
        catch (Newtonsoft.Json.JsonException ex)
        {
            return [$"not valid JSON: {ex.Message}"];
        }
        catch (Exception ex) when (ex is InvalidCastException or OverflowException or FormatException or ArgumentException)
        {
            // NJsonSchema cannot compare an integer beyond 64 bits (read as a BigInteger) with a bound: InvalidCastException
            // "Object must implement IConvertible" (issue #14: 99999999999999999999999 as memory_mb). Name where it is.
            return [OutOfRange(json) ?? $"the document cannot be checked: {ex.Message}"];
        }

        var messages = new List<string>();
        foreach (var error in errors)
        {
            Describe(error, messages);
        }

        return messages;
    }

    /// <summary>The first integer too large for 64 bits, as "path: ...", or null.</summary>
    private static string? OutOfRange(string json)
    {
        try
        {
            var huge = Newtonsoft.Json.Linq.JToken.Parse(json).SelectTokens("$..*")
                .OfType<Newtonsoft.Json.Linq.JValue>()
                .FirstOrDefault(v => v.Value is System.Numerics.BigInteger);
            return huge is null ? null : $"#/{huge.Path}: the integer {huge} is out of range";
        }
        catch (Newtonsoft.Json.JsonException)
        {
            return null;
        }
    }

    private static void Describe(ValidationError error, List<string> messages)
    {
        var where = string.IsNullOrEmpty(error.Path) ? "#" : error.Path;
        if (error is ChildSchemaValidationError child && child.Errors.Count > 0)
        {
            // For oneOf/anyOf, say which alternatives failed and why, in one line each.
            var reasons = child.Errors.SelectMany(e => e.Value).Select(e => $"{(string.IsNullOrEmpty(e.Path) ? "#" : e.Path)}: {e.Kind}").Distinct();
            messages.Add($"{where}: {error.Kind} ({string.Join("; ", reasons)})");
        }
        else
        {
            messages.Add($"{where}: {error.Kind}");
        }
    }

    private static string DefaultDirectory()
    {
        var nextToAssembly = Path.Combine(AppContext.BaseDirectory, "schemas");
        return Directory.Exists(nextToAssembly) ? nextToAssembly : Path.Combine(Directory.GetCurrentDirectory(), "schemas");
    }
}
