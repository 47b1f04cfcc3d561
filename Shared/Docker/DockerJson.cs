using System.Globalization;
using System.Text.Json;

namespace Correctomatic.Shared.Docker;

/// <summary>Parses the Engine API v1.41 answers we use (field names as in the API reference, PascalCase).</summary>
internal static class DockerJson
{
    public static DockerVersionInfo ParseVersion(string body)
    {
        using var doc = JsonDocument.Parse(body);
        var r = doc.RootElement;
        return new DockerVersionInfo(Str(r, "Version"), Str(r, "ApiVersion"), Str(r, "MinAPIVersion"), Str(r, "Os"), Str(r, "Arch"));
    }

    public static DockerSystemInfo ParseInfo(string body)
    {
        using var doc = JsonDocument.Parse(body);
        var r = doc.RootElement;
        return new DockerSystemInfo(Str(r, "ID"), Str(r, "Name"), Str(r, "ServerVersion")) { SystemTime = Time(r, "SystemTime") };
    }

    public static ImageInfo ParseImage(string body)
    {
        using var doc = JsonDocument.Parse(body);
        var r = doc.RootElement;
        var config = r.TryGetProperty("Config", out var c) && c.ValueKind == JsonValueKind.Object ? c : default;
        var user = config.ValueKind == JsonValueKind.Object ? Str(config, "User") : "";
        return new ImageInfo(Str(r, "Id"), Strings(r, "RepoTags"), user.Length == 0 ? null : user,
            config.ValueKind == JsonValueKind.Object ? Map(config, "Labels") : new Dictionary<string, string>());
    }

    public static string ParseCreatedId(string body)
    {
        using var doc = JsonDocument.Parse(body);
        return Str(doc.RootElement, "Id");
    }

    /// <summary>ContainerWait: <c>{"StatusCode":N,"Error":{"Message":"..."}}</c>.</summary>
    public static long ParseWait(string body, out string? error)
    {
        using var doc = JsonDocument.Parse(body);
        var r = doc.RootElement;
        error = r.TryGetProperty("Error", out var e) && e.ValueKind == JsonValueKind.Object && Str(e, "Message") is { Length: > 0 } m ? m : null;
        return r.TryGetProperty("StatusCode", out var s) ? s.GetInt64() : -1;
    }

    public static ContainerInfo ParseContainer(string body)
    {
        using var doc = JsonDocument.Parse(body);
        var r = doc.RootElement;
        var s = r.GetProperty("State");
        var config = r.TryGetProperty("Config", out var c) && c.ValueKind == JsonValueKind.Object ? c : default;
        return new ContainerInfo
        {
            Id = Str(r, "Id"),
            Name = Str(r, "Name").TrimStart('/'),
            Image = config.ValueKind == JsonValueKind.Object ? Str(config, "Image") : Str(r, "Image"),
            Labels = config.ValueKind == JsonValueKind.Object ? Map(config, "Labels") : new Dictionary<string, string>(),
            State = new ContainerState
            {
                Status = Str(s, "Status"),
                Running = s.TryGetProperty("Running", out var run) && run.ValueKind == JsonValueKind.True,
                ExitCode = s.TryGetProperty("ExitCode", out var code) ? code.GetInt64() : 0,
                OomKilled = s.TryGetProperty("OOMKilled", out var oom) && oom.ValueKind == JsonValueKind.True,
                Error = Str(s, "Error") is { Length: > 0 } err ? err : null,
                StartedAt = Time(s, "StartedAt"),
                FinishedAt = Time(s, "FinishedAt"),
            },
        };
    }

    public static IReadOnlyList<ContainerSummary> ParseList(string body)
    {
        using var doc = JsonDocument.Parse(body);
        var list = new List<ContainerSummary>();
        foreach (var e in doc.RootElement.EnumerateArray())
        {
            list.Add(new ContainerSummary
            {
                Id = Str(e, "Id"),
                Names = Strings(e, "Names").Select(n => n.TrimStart('/')).ToArray(),
                Image = Str(e, "Image"),
                State = Str(e, "State"),
                Created = DateTimeOffset.FromUnixTimeSeconds(e.TryGetProperty("Created", out var cr) ? cr.GetInt64() : 0),
                Labels = Map(e, "Labels"),
            });
        }

        return list;
    }

    /// <summary>One /events line (Engine API "Monitor events"): Type, Action, Actor {ID, Attributes}, timeNano.</summary>
    public static DockerEvent ParseEvent(ReadOnlySpan<byte> line)
    {
        var reader = new Utf8JsonReader(line);
        using var doc = JsonDocument.ParseValue(ref reader);
        var r = doc.RootElement;
        var actor = r.TryGetProperty("Actor", out var a) && a.ValueKind == JsonValueKind.Object ? a : default;
        long timeNano = r.TryGetProperty("timeNano", out var tn) ? tn.GetInt64()
            : r.TryGetProperty("time", out var t) ? t.GetInt64() * 1_000_000_000 : 0;
        return new DockerEvent
        {
            Type = Str(r, "Type"),
            Action = Str(r, "Action") is { Length: > 0 } action ? action : Str(r, "status"),
            ActorId = actor.ValueKind == JsonValueKind.Object ? Str(actor, "ID") : Str(r, "id"),
            Attributes = actor.ValueKind == JsonValueKind.Object ? Map(actor, "Attributes") : new Dictionary<string, string>(),
            TimeNano = timeNano,
        };
    }

    /// <summary>The engine's zero time (0001-01-01T00:00:00Z) means "never"; it becomes null.</summary>
    private static DateTimeOffset? Time(JsonElement e, string name)
    {
        var raw = Str(e, name);
        return raw.Length > 0 && DateTimeOffset.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value) && value.Year > 1
            ? value
            : null;
    }

    internal static string Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() ?? "" : "";

    private static string[] Strings(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array
            ? v.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString() ?? "").ToArray()
            : [];

    private static Dictionary<string, string> Map(JsonElement e, string name)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in v.EnumerateObject())
            {
                map[p.Name] = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() ?? "" : p.Value.GetRawText();
            }
        }

        return map;
    }
}
