namespace Correctomatic.Shared.Docker;

/// <summary>The engine did not answer: socket missing, connection refused or reset, TLS refused, or no reply in time.</summary>
public sealed class DockerUnreachableException(string message, Exception innerException) : Exception(message, innerException);
