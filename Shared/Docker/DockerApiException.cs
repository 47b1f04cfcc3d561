using System.Net;

namespace Correctomatic.Shared.Docker;

/// <summary>The engine answered with an error status; <see cref="Exception.Message"/> is the engine's own message.</summary>
public class DockerApiException : Exception
{
    public DockerApiException(HttpStatusCode statusCode, string engineMessage)
        : base(engineMessage)
    {
        StatusCode = statusCode;
        EngineMessage = engineMessage;
    }

    public DockerApiException()
        : this(HttpStatusCode.InternalServerError, "Docker engine error")
    {
    }

    public DockerApiException(string message)
        : this(HttpStatusCode.InternalServerError, message)
    {
    }

    public DockerApiException(string message, Exception innerException)
        : base(message, innerException)
    {
        StatusCode = HttpStatusCode.InternalServerError;
        EngineMessage = message;
    }

    public HttpStatusCode StatusCode { get; }

    public string EngineMessage { get; }
}
