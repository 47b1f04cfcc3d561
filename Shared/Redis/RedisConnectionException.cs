namespace Correctomatic.Shared.Redis;

/// <summary>
/// The connection to Redis failed: could not connect, was refused (wrong credentials, untrusted certificate), timed
/// out, broke while a command was in flight (its outcome is unknown), or received bytes that are not RESP.
/// <see cref="IsTransient"/> tells whether retrying may help (a restart) or not (wrong password).
/// </summary>
public sealed class RedisConnectionException : Exception
{
    public RedisConnectionException(string message, Exception? innerException = null, bool isTransient = true)
        : base(message, innerException)
    {
        IsTransient = isTransient;
    }

    public RedisConnectionException() : this("Redis connection failed")
    {
    }

    public RedisConnectionException(string message) : this(message, null, true)
    {
    }

    public RedisConnectionException(string message, Exception innerException) : this(message, innerException, true)
    {
    }

    public bool IsTransient { get; }
}
