using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Correctomatic.Shared.Docker;

/// <summary>Every Docker exception is built here, so a status and message always map to the same type (STYLE habit 7).</summary>
internal static class DockerErrors
{
    /// <summary>Ours for whatever a library call threw; null leaves it as it is (ours already, or the caller's cancellation).</summary>
    public static Exception? Translate(Exception ex, string endpoint, CancellationToken cancellationToken) => ex switch
    {
        DockerApiException or DockerUnreachableException => null,
        _ when cancellationToken.IsCancellationRequested => ex is OperationCanceledException ? null : new OperationCanceledException(ex.Message, ex, cancellationToken),
        global::Docker.DotNet.DockerApiException api when MessageOf(api.ResponseBody ?? "") is var message && Unavailable(api.StatusCode, message) =>
            new DockerUnreachableException($"the Docker engine at {endpoint} is unavailable: {message}", ex),
        global::Docker.DotNet.DockerApiException api => FromResponse(api.StatusCode, api.ResponseBody ?? ""),
        OperationCanceledException => new DockerUnreachableException($"the Docker engine at {endpoint} did not answer in time", ex),
        // The outer message says what failed (e.g. "The SSL connection could not be established"), the innermost why.
        HttpRequestException or IOException or SocketException or TimeoutException => new DockerUnreachableException(
            $"the Docker engine at {endpoint} does not answer: {ex.Message}" + (ex.GetBaseException() is { } root && root != ex ? $" ({root.Message})" : ""), ex),
        JsonException => new DockerApiException(HttpStatusCode.OK, $"the engine at {endpoint} answered what we cannot read: {ex.Message}"),
        _ => null,
    };

    /// <summary>
    /// Maps an error answer, <c>{"message":"..."}</c> (Engine API v1.41, "Errors"). A 404 means different things per
    /// endpoint (a missing image on create, a missing path on archive), so the message decides.
    /// </summary>
    public static DockerApiException FromResponse(HttpStatusCode status, string body)
    {
        var message = MessageOf(body);
        return status switch
        {
            HttpStatusCode.NotFound when message.Contains("No such image", StringComparison.OrdinalIgnoreCase)
                || message.Contains("pull access denied", StringComparison.OrdinalIgnoreCase) => new DockerNoSuchImageException(message),
            HttpStatusCode.NotFound when message.Contains("No such container", StringComparison.OrdinalIgnoreCase) => new DockerNoSuchContainerException(message),
            HttpStatusCode.Conflict => new DockerConflictException(message),
            _ => new DockerApiException(status, message),
        };
    }

    /// <summary>
    /// The engine cannot act now, and nothing was wrong with the request: a 503, or containerd's gRPC "unavailable"
    /// passed on in a 500, as dockerd answers while it stops or restarts ("transport is closing: unavailable", seen
    /// starting a container in chaos.sh's live-restore wave). Transient, like an engine that does not answer.
    /// </summary>
    private static bool Unavailable(HttpStatusCode status, string message) => status == HttpStatusCode.ServiceUnavailable
        || (status == HttpStatusCode.InternalServerError && message.EndsWith(": unavailable", StringComparison.Ordinal));

    /// <summary>An error reported inside a 200 stream (image pull progress: <c>{"errorDetail":{"message":"..."}}</c>).</summary>
    public static DockerApiException FromStream(string message) =>
        message.Contains("not found", StringComparison.OrdinalIgnoreCase) || message.Contains("pull access denied", StringComparison.OrdinalIgnoreCase)
            ? new DockerNoSuchImageException(message)
            : new DockerApiException(HttpStatusCode.InternalServerError, message);

    private static string MessageOf(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String)
            {
                return m.GetString()!;
            }
        }
        catch (JsonException)
        {
            // Proxies in front of a TCP engine may answer plain text; keep it as is.
        }

        return body.Trim() is { Length: > 0 } plain ? plain : "(empty answer)";
    }
}
