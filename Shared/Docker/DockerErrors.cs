using System.Net;
using System.Text.Json;

namespace Correctomatic.Shared.Docker;

/// <summary>Every Docker exception is built here, so a status and message always map to the same type (STYLE habit 7).</summary>
internal static class DockerErrors
{
    /// <summary>
    /// Maps an error answer. The engine answers <c>{"message":"..."}</c> (Engine API v1.41, "Errors"); a 404 means
    /// different things per endpoint (a missing image on create, a missing path on archive), so the message decides.
    /// </summary>
    public static DockerApiException FromResponse(HttpStatusCode status, string body)
    {
        var message = MessageOf(body);
        return status switch
        {
            HttpStatusCode.NotFound when message.StartsWith("No such image", StringComparison.OrdinalIgnoreCase)
                || message.Contains("pull access denied", StringComparison.OrdinalIgnoreCase) => new DockerNoSuchImageException(message),
            HttpStatusCode.NotFound when message.StartsWith("No such container", StringComparison.OrdinalIgnoreCase) => new DockerNoSuchContainerException(message),
            HttpStatusCode.Conflict => new DockerConflictException(message),
            _ => new DockerApiException(status, message),
        };
    }

    public static DockerUnreachableException Unreachable(string endpoint, Exception inner) =>
        new($"the Docker engine at {endpoint} does not answer: {inner.Message}", inner);

    /// <summary>An error reported inside a 200 stream (image pull progress: <c>{"error":"...","errorDetail":{...}}</c>).</summary>
    public static DockerApiException FromStream(string message) =>
        message.Contains("not found", StringComparison.OrdinalIgnoreCase) || message.Contains("pull access denied", StringComparison.OrdinalIgnoreCase)
            ? new DockerNoSuchImageException(message)
            : new DockerApiException(HttpStatusCode.InternalServerError, message);

    internal static string MessageOf(string body)
    {
        if (body.Length == 0)
        {
            return "(empty answer)";
        }

        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String)
            {
                return m.GetString() ?? body;
            }
        }
        catch (JsonException)
        {
            // Proxies in front of a TCP engine may answer plain text; keep it as is.
        }

        return body.Trim();
    }
}
