namespace Correctomatic.Shared.Redis;

/// <summary>
/// The server answered a command with an error reply (<c>-ERR</c>, <c>-NOGROUP</c>, <c>-WRONGPASS</c>, ...). The
/// connection is fine; the command failed. <see cref="Prefix"/> is the error code (first word) for matching.
/// </summary>
public sealed class RedisServerException : Exception
{
    public RedisServerException(string serverMessage, string? command = null)
        : base(command is null ? serverMessage : $"{serverMessage} (command {command})")
    {
        ServerMessage = serverMessage;
        Command = command;
    }

    public RedisServerException() : this("ERR")
    {
    }

    public RedisServerException(string message, Exception innerException) : base(message, innerException)
    {
        ServerMessage = message;
    }

    /// <summary>The error text exactly as the server sent it.</summary>
    public string ServerMessage { get; } = "";

    /// <summary>The command name (never its arguments, which may hold secrets or payloads).</summary>
    public string? Command { get; }

    /// <summary>The error code: the first word of the message, e.g. <c>NOGROUP</c>, <c>BUSYGROUP</c>, <c>WRONGPASS</c>.</summary>
    public string Prefix => ServerMessage.Split(' ', 2)[0];
}
