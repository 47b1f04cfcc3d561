using System.Net;

namespace Correctomatic.Shared.Docker;

/// <summary>409: e.g. a container name in use, or killing a container that is not running.</summary>
public sealed class DockerConflictException : DockerApiException
{
    public DockerConflictException(string engineMessage)
        : base(HttpStatusCode.Conflict, engineMessage)
    {
    }

    public DockerConflictException()
    {
    }

    public DockerConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
