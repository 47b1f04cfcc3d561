namespace Correctomatic.Cli.Commands;

/// <summary>Input a command cannot use (a job that does not validate, a missing file); the message says what to fix.</summary>
public sealed class InvalidInputException(string message) : Exception(message);
