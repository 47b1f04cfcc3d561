namespace Correctomatic.Shared.Docker;

/// <summary>409: the name is in use, the container is not running, a removal is already in progress.</summary>
public sealed class DockerConflictException(string engineMessage) : DockerApiException(System.Net.HttpStatusCode.Conflict, engineMessage);
