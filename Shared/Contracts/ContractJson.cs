using System.Text.Json;
using System.Text.Json.Serialization;

namespace Correctomatic.Shared.Contracts;

/// <summary>The one set of JSON options for everything on the wire.</summary>
public static class ContractJson
{
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    /// <summary>A status as the wire spells it (<c>out_of_memory</c>), for logs, metrics and the CLI.</summary>
    public static string Name(JobStatus status) => JsonNamingPolicy.SnakeCaseLower.ConvertName(status.ToString());

    /// <summary>Parses a contract document; the exception message names what is wrong, for the job's error.</summary>
    public static T Deserialize<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw new JsonException("the document is null");

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.General)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            Converters = { new JsonStringEnumConverter<JobStatus>(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false) },
            NumberHandling = JsonNumberHandling.Strict,
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
