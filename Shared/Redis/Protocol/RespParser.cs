using System.Text;

namespace Correctomatic.Shared.Redis.Protocol;

/// <summary>
/// Materialises one reply that <see cref="RespFrameScanner"/> has already found complete and valid: the only
/// allocations are the payloads themselves (one copy of each bulk string). Common simple strings are shared.
/// </summary>
public static class RespParser
{
    private static readonly RedisReply Ok = RedisReply.SimpleString("OK");
    private static readonly RedisReply Queued = RedisReply.SimpleString("QUEUED");
    private static readonly RedisReply Pong = RedisReply.SimpleString("PONG");

    /// <summary>Parses the validated frame <paramref name="frame"/> (exactly one reply).</summary>
    public static RedisReply Parse(ReadOnlySpan<byte> frame)
    {
        var position = 0;
        return ParseValue(frame, ref position);
    }

    private static RedisReply ParseValue(ReadOnlySpan<byte> buffer, ref int position)
    {
        var type = buffer[position];
        // The scanner checked that the first LF is preceded by CR; a bare CR inside a simple string is content.
        var lineEnd = position + buffer[(position + 1)..].IndexOf((byte)'\n');
        var line = buffer[(position + 1)..lineEnd];
        position = lineEnd + 2;
        switch (type)
        {
            case (byte)'+':
                return line.SequenceEqual("OK"u8) ? Ok
                    : line.SequenceEqual("QUEUED"u8) ? Queued
                    : line.SequenceEqual("PONG"u8) ? Pong
                    : RedisReply.SimpleString(Encoding.UTF8.GetString(line));
            case (byte)'-':
                return RedisReply.Error(Encoding.UTF8.GetString(line));
            case (byte)':':
                return RedisReply.Integer(RespFrameScanner.ParseLength(line, "integer", allowAny: true));
            case (byte)'$':
            {
                var length = (int)RespFrameScanner.ParseLength(line, "bulk length", allowAny: false);
                if (length < 0)
                {
                    return RedisReply.Null;
                }

                var bytes = buffer.Slice(position, length).ToArray();
                position += length + 2;
                return RedisReply.Bulk(bytes);
            }

            default:
            {
                var count = (int)RespFrameScanner.ParseLength(line, "array length", allowAny: false);
                if (count < 0)
                {
                    return RedisReply.Null;
                }

                var items = count == 0 ? [] : new RedisReply[count];
                for (var i = 0; i < count; i++)
                {
                    items[i] = ParseValue(buffer, ref position);
                }

                return RedisReply.Array(items);
            }
        }
    }
}
