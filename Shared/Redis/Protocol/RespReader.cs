namespace Correctomatic.Shared.Redis.Protocol;

/// <summary>
/// Accumulates bytes as they arrive, split at any byte, and hands out complete replies in order. One per connection;
/// not thread-safe (only the connection's read loop uses it).
/// </summary>
public sealed class RespReader(long maxBulkBytes, int initialBufferSize = 16 * 1024)
{
    private byte[] _buffer = new byte[initialBufferSize];
    private int _start;
    private int _end;

    /// <summary>Bytes received but not yet consumed as a complete reply.</summary>
    public int BufferedBytes => _end - _start;

    /// <summary>Space to receive into; call <see cref="Advance"/> with the count received.</summary>
    public Memory<byte> GetWriteMemory(int sizeHint = 4096)
    {
        if (_start == _end)
        {
            _start = _end = 0;
            if (_buffer.Length > 1024 * 1024 && sizeHint < initialBufferSize)
            {
                _buffer = new byte[initialBufferSize]; // do not keep a large buffer after one large reply
            }
        }

        if (_buffer.Length - _end < sizeHint)
        {
            var buffered = _end - _start;
            if (_buffer.Length - buffered < sizeHint || _buffer.Length - buffered < _buffer.Length / 2)
            {
                // Grow: an incomplete reply larger than the buffer keeps arriving. Bulk sizes are capped by the scanner.
                var bigger = new byte[Math.Max(_buffer.Length * 2, buffered + sizeHint)];
                _buffer.AsSpan(_start, buffered).CopyTo(bigger);
                _buffer = bigger;
            }
            else
            {
                _buffer.AsSpan(_start, buffered).CopyTo(_buffer);
            }

            _start = 0;
            _end = buffered;
        }

        return _buffer.AsMemory(_end);
    }

    public void Advance(int count) => _end += count;

    /// <summary>Copies <paramref name="bytes"/> in (tests, and any source that is not a socket).</summary>
    public void Append(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(GetWriteMemory(bytes.Length).Span);
        Advance(bytes.Length);
    }

    /// <summary>Returns the next complete reply, or false when more bytes are needed.</summary>
    /// <exception cref="RedisProtocolException">The bytes received are not valid RESP2; the reader is unusable after.</exception>
    public bool TryRead(out RedisReply reply)
    {
        var available = _buffer.AsSpan(_start, _end - _start);
        var length = RespFrameScanner.Scan(available, maxBulkBytes);
        if (length < 0)
        {
            reply = default;
            return false;
        }

        reply = RespParser.Parse(available[..length]);
        _start += length;
        return true;
    }
}
