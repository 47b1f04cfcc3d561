namespace Correctomatic.Shared.Redis.Protocol;

/// <summary>
/// The bytes received are not valid RESP2 (or exceed a configured cap). The connection that received them is closed:
/// after a framing error nothing later on that stream can be trusted. Callers see it as the inner exception of a
/// <see cref="RedisConnectionException"/>.
/// </summary>
public sealed class RedisProtocolException : Exception
{
    public RedisProtocolException(string message) : base(message)
    {
    }

    public RedisProtocolException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public RedisProtocolException()
    {
    }
}
