namespace Correctomatic.Shared.Docker;

/// <summary>The engine has no such container (404 No such container).</summary>
public sealed class DockerNoSuchContainerException(string engineMessage) : DockerApiException(System.Net.HttpStatusCode.NotFound, engineMessage);
