using System.Net;

namespace Correctomatic.Shared.Docker;

/// <summary>The engine has no such image (404 No such image).</summary>
public sealed class DockerNoSuchImageException : DockerApiException
{
    public DockerNoSuchImageException(string engineMessage)
        : base(HttpStatusCode.NotFound, engineMessage)
    {
    }

    public DockerNoSuchImageException()
    {
    }

    public DockerNoSuchImageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
