namespace Correctomatic.Shared.Docker;

/// <summary>The engine has no such image (404 No such image), or the registry has none to pull.</summary>
public sealed class DockerNoSuchImageException(string engineMessage) : DockerApiException(System.Net.HttpStatusCode.NotFound, engineMessage);
