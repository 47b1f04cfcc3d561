using System.Net;

namespace Correctomatic.Shared.Docker;

/// <summary>
/// The engine answered with an error; <see cref="Exception.Message"/> is the engine's own message. Built in
/// <see cref="DockerErrors"/> only, so a status and message always map to the same type; the subtypes, kept here together,
/// are the cases stage code acts on.
/// </summary>
public class DockerApiException(HttpStatusCode statusCode, string engineMessage) : Exception(engineMessage)
{
    public HttpStatusCode StatusCode { get; } = statusCode;

    public string EngineMessage { get; } = engineMessage;
}

/// <summary>404 No such container.</summary>
public sealed class DockerNoSuchContainerException(string engineMessage) : DockerApiException(HttpStatusCode.NotFound, engineMessage);

/// <summary>404 No such image, or the registry has none to pull.</summary>
public sealed class DockerNoSuchImageException(string engineMessage) : DockerApiException(HttpStatusCode.NotFound, engineMessage);

/// <summary>409: the name is in use, the container is not running, a removal is already in progress.</summary>
public sealed class DockerConflictException(string engineMessage) : DockerApiException(HttpStatusCode.Conflict, engineMessage);
