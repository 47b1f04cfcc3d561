namespace Correctomatic.Shared.Docker;

/// <summary>The engine did not answer: socket missing, connection refused or reset, or no reply in time.</summary>
public sealed class DockerUnreachableException : Exception
{
    public DockerUnreachableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public DockerUnreachableException()
    {
    }

    public DockerUnreachableException(string message)
        : base(message)
    {
    }
}
