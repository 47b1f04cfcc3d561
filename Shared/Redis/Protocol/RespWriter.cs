using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace Correctomatic.Shared.Redis.Protocol;

/// <summary>Writes commands as RESP2 arrays of bulk strings (the only form a client sends), straight into the output buffer.</summary>
public static class RespWriter
{
    public static void WriteCommand(IBufferWriter<byte> output, ReadOnlySpan<string> arguments)
    {
        if (arguments.IsEmpty)
        {
            throw new ArgumentException("a command needs at least its name", nameof(arguments));
        }

        WriteHeader(output, (byte)'*', arguments.Length);
        foreach (var argument in arguments)
        {
            ArgumentNullException.ThrowIfNull(argument);
            var length = Encoding.UTF8.GetByteCount(argument);
            WriteHeader(output, (byte)'$', length);
            var span = output.GetSpan(length + 2);
            Encoding.UTF8.GetBytes(argument, span);
            span[length] = (byte)'\r';
            span[length + 1] = (byte)'\n';
            output.Advance(length + 2);
        }
    }

    private static void WriteHeader(IBufferWriter<byte> output, byte type, long value)
    {
        var span = output.GetSpan(24);
        span[0] = type;
        Utf8Formatter.TryFormat(value, span[1..], out var written);
        span[1 + written] = (byte)'\r';
        span[2 + written] = (byte)'\n';
        output.Advance(3 + written);
    }
}
