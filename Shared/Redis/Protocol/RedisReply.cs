using System.Globalization;
using System.Text;

namespace Correctomatic.Shared.Redis.Protocol;

/// <summary>
/// One RESP2 reply, typed. A struct so that a reply costs no allocation beyond its payload: one <c>string</c> for a
/// simple string or error, one <c>byte[]</c> for a bulk string, one array for an array (issue #3: at most one copy per reply).
/// </summary>
public readonly struct RedisReply : IEquatable<RedisReply>
{
    private readonly object? _value;
    private readonly long _integer;

    private RedisReply(RespReplyKind kind, object? value, long integer)
    {
        Kind = kind;
        _value = value;
        _integer = integer;
    }

    public RespReplyKind Kind { get; }

    public bool IsNull => Kind == RespReplyKind.Null;

    public bool IsError => Kind == RespReplyKind.Error;

    /// <summary>Number of elements of an array; 0 for anything else.</summary>
    public int Count => _value is RedisReply[] items ? items.Length : 0;

    public RedisReply this[int index] => _value is RedisReply[] items
        ? items[index]
        : throw new InvalidOperationException($"reply is {Kind}, not an array");

    public static RedisReply Null => default;

    public static RedisReply SimpleString(string value) => new(RespReplyKind.SimpleString, value, 0);

    public static RedisReply Error(string message) => new(RespReplyKind.Error, message, 0);

    public static RedisReply Integer(long value) => new(RespReplyKind.Integer, null, value);

    public static RedisReply Bulk(byte[] value) => new(RespReplyKind.BulkString, value, 0);

    public static RedisReply Bulk(string value) => Bulk(Encoding.UTF8.GetBytes(value));

    public static RedisReply Array(RedisReply[] items) => new(RespReplyKind.Array, items, 0);

    /// <summary>Text of a simple string, bulk string (UTF-8), error or integer; null for a null reply.</summary>
    public string? AsString() => Kind switch
    {
        RespReplyKind.Null => null,
        RespReplyKind.SimpleString or RespReplyKind.Error => (string)_value!,
        RespReplyKind.BulkString => Encoding.UTF8.GetString((byte[])_value!),
        RespReplyKind.Integer => _integer.ToString(CultureInfo.InvariantCulture),
        _ => throw new InvalidOperationException($"reply is {Kind}, not a string"),
    };

    /// <summary>The raw bytes of a bulk string; null for a null reply.</summary>
    public byte[]? AsBytes() => Kind switch
    {
        RespReplyKind.Null => null,
        RespReplyKind.BulkString => (byte[])_value!,
        _ => throw new InvalidOperationException($"reply is {Kind}, not a bulk string"),
    };

    /// <summary>An integer reply, or a (bulk or simple) string holding one, as XINFO and CONFIG GET return.</summary>
    public long AsInt64() => Kind switch
    {
        RespReplyKind.Integer => _integer,
        RespReplyKind.BulkString or RespReplyKind.SimpleString when long.TryParse(AsString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) => v,
        _ => throw new InvalidOperationException($"reply is {Kind} '{this}', not an integer"),
    };

    /// <summary>The elements of an array; empty for a null reply (e.g. XREADGROUP timed out).</summary>
    public IReadOnlyList<RedisReply> AsArray() => Kind switch
    {
        RespReplyKind.Null => [],
        RespReplyKind.Array => (RedisReply[])_value!,
        _ => throw new InvalidOperationException($"reply is {Kind} '{this}', not an array"),
    };

    /// <summary>A flat array of alternating names and values (XINFO, CONFIG GET, stream fields) as a dictionary.</summary>
    public IReadOnlyDictionary<string, RedisReply> AsMap()
    {
        var items = AsArray();
        var map = new Dictionary<string, RedisReply>(items.Count / 2, StringComparer.Ordinal);
        for (var i = 0; i + 1 < items.Count; i += 2)
        {
            map[items[i].AsString() ?? ""] = items[i + 1];
        }

        return map;
    }

    public bool Equals(RedisReply other)
    {
        if (Kind != other.Kind)
        {
            return false;
        }

        return Kind switch
        {
            RespReplyKind.Null => true,
            RespReplyKind.Integer => _integer == other._integer,
            RespReplyKind.SimpleString or RespReplyKind.Error => (string)_value! == (string)other._value!,
            RespReplyKind.BulkString => ((byte[])_value!).AsSpan().SequenceEqual((byte[])other._value!),
            _ => ((RedisReply[])_value!).AsSpan().SequenceEqual((RedisReply[])other._value!),
        };
    }

    public override bool Equals(object? obj) => obj is RedisReply other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Kind, _integer, Kind == RespReplyKind.BulkString ? null : _value);

    public static bool operator ==(RedisReply left, RedisReply right) => left.Equals(right);

    public static bool operator !=(RedisReply left, RedisReply right) => !left.Equals(right);

    public override string ToString() => Kind switch
    {
        RespReplyKind.Null => "(nil)",
        RespReplyKind.Array => "[" + string.Join(", ", AsArray().Select(r => r.ToString())) + "]",
        RespReplyKind.Error => "(error) " + AsString(),
        _ => AsString() ?? "",
    };
}
