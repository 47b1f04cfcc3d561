using System.Buffers.Text;

namespace Correctomatic.Shared.Redis.Protocol;

/// <summary>
/// Finds where the next complete RESP2 reply ends without allocating (after RESPite's RespFrameScanner). It never trusts
/// a length blindly: bulk lengths above the cap, negative lengths other than -1, unknown type bytes, missing CRLF
/// and nesting deeper than <see cref="MaxDepth"/> are protocol violations.
/// </summary>
public static class RespFrameScanner
{
    /// <summary>Deepest array nesting accepted; Redis replies nest a handful of levels (XREADGROUP: 4).</summary>
    public const int MaxDepth = 32;

    /// <summary>Longest simple-string, error or length line accepted before its CRLF.</summary>
    public const int MaxLineLength = 64 * 1024;

    /// <summary>Returns the length of the first complete reply in <paramref name="buffer"/>, or -1 when more bytes are needed.</summary>
    /// <exception cref="RedisProtocolException">The bytes are not a valid RESP2 reply.</exception>
    public static int Scan(ReadOnlySpan<byte> buffer, long maxBulkBytes)
    {
        var position = 0;
        return ScanValue(buffer, ref position, maxBulkBytes, 0) ? position : -1;
    }

    private static bool ScanValue(ReadOnlySpan<byte> buffer, ref int position, long maxBulkBytes, int depth)
    {
        if (!TryReadLine(buffer, position, out var line, out var next))
        {
            return false;
        }

        var type = buffer[position];
        switch (type)
        {
            case (byte)'+' or (byte)'-':
                position = next;
                return true;
            case (byte)':':
                ParseLength(line, "integer", allowAny: true);
                position = next;
                return true;
            case (byte)'$':
            {
                var length = ParseLength(line, "bulk length", allowAny: false);
                if (length == -1)
                {
                    position = next;
                    return true;
                }

                if (length > maxBulkBytes)
                {
                    throw new RedisProtocolException($"bulk string of {length} bytes exceeds the cap of {maxBulkBytes} bytes (REDIS_MAX_BULK_BYTES)");
                }

                if (buffer.Length - next < length + 2)
                {
                    return false;
                }

                var end = next + (int)length;
                if (buffer[end] != (byte)'\r' || buffer[end + 1] != (byte)'\n')
                {
                    throw new RedisProtocolException($"bulk string of {length} bytes is not followed by CRLF");
                }

                position = end + 2;
                return true;
            }

            case (byte)'*':
            {
                var count = ParseLength(line, "array length", allowAny: false);
                if (depth >= MaxDepth)
                {
                    throw new RedisProtocolException($"arrays nested deeper than {MaxDepth} levels");
                }

                position = next;
                for (long i = 0; i < count; i++)
                {
                    if (!ScanValue(buffer, ref position, maxBulkBytes, depth + 1))
                    {
                        return false;
                    }
                }

                return true;
            }

            default:
                throw new RedisProtocolException($"unexpected type byte 0x{type:X2} ('{(char)type}') at the start of a reply");
        }
    }

    /// <summary>The content of the line starting at <paramref name="start"/> (after its type byte) up to CRLF.</summary>
    private static bool TryReadLine(ReadOnlySpan<byte> buffer, int start, out ReadOnlySpan<byte> line, out int next)
    {
        line = default;
        next = 0;
        if (start >= buffer.Length)
        {
            return false;
        }

        var rest = buffer[(start + 1)..];
        var lf = rest.IndexOf((byte)'\n');
        if (lf < 0)
        {
            if (rest.Length > MaxLineLength)
            {
                throw new RedisProtocolException($"no CRLF within {MaxLineLength} bytes");
            }

            return false;
        }

        if (lf == 0 || rest[lf - 1] != (byte)'\r')
        {
            throw new RedisProtocolException("line ends with LF without CR");
        }

        line = rest[..(lf - 1)];
        next = start + 1 + lf + 1;
        return true;
    }

    internal static long ParseLength(ReadOnlySpan<byte> line, string what, bool allowAny)
    {
        if (!Utf8Parser.TryParse(line, out long value, out var consumed) || consumed != line.Length || line.Length == 0)
        {
            throw new RedisProtocolException($"{what} '{System.Text.Encoding.ASCII.GetString(line[..Math.Min(line.Length, 32)])}' is not a number");
        }

        if (!allowAny && value < -1)
        {
            throw new RedisProtocolException($"{what} {value} is negative");
        }

        return value;
    }
}
