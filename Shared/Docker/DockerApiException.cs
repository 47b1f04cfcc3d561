using System.Net;

namespace Correctomatic.Shared.Docker;

/// <summary>The engine answered with an error status; <see cref="Exception.Message"/> is the engine's own message (built in DockerErrors).</summary>
public class DockerApiException(HttpStatusCode statusCode, string engineMessage) : Exception(engineMessage)
{
    public HttpStatusCode StatusCode { get; } = statusCode;

    public string EngineMessage { get; } = engineMessage;
}
