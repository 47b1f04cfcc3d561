namespace Correctomatic.Shared.Redis.Protocol;

/// <summary>The RESP2 reply types (https://redis.io/docs/latest/develop/reference/protocol-spec/#resp-protocol-description).</summary>
public enum RespReplyKind : byte
{
    /// <summary>A null bulk string (<c>$-1</c>) or null array (<c>*-1</c>); also the default value.</summary>
    Null = 0,
    SimpleString,
    Error,
    Integer,
    BulkString,
    Array,
}
