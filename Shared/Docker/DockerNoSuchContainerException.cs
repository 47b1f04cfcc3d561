using System.Net;

namespace Correctomatic.Shared.Docker;

/// <summary>The engine has no such container (404 No such container).</summary>
public sealed class DockerNoSuchContainerException : DockerApiException
{
    public DockerNoSuchContainerException(string engineMessage)
        : base(HttpStatusCode.NotFound, engineMessage)
    {
    }

    public DockerNoSuchContainerException()
    {
    }

    public DockerNoSuchContainerException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
