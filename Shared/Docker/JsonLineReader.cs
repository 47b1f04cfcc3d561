namespace Correctomatic.Shared.Docker;

/// <summary>
/// Reads newline-delimited JSON documents from a streaming answer (/events, image pull progress) without a
/// StreamReader's string per line; a line longer than the limit is an error, not a reason to buffer without end.
/// </summary>
internal sealed class JsonLineReader(Stream stream, int maxLine = 1024 * 1024)
{
    private byte[] _buffer = new byte[8 * 1024];
    private int _start;
    private int _end;

    /// <summary>The next non-empty line (without its newline), or null at the end of the stream.</summary>
    public async ValueTask<ReadOnlyMemory<byte>?> ReadLineAsync(CancellationToken cancellationToken)
    {
        var scanned = 0;
        while (true)
        {
            var newline = _buffer.AsSpan(_start + scanned, _end - _start - scanned).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                var line = _buffer.AsMemory(_start, scanned + newline);
                _start += scanned + newline + 1;
                if (line.Span.Trim((byte)'\r').IsEmpty)
                {
                    scanned = 0;
                    continue;
                }

                return line;
            }

            scanned = _end - _start;
            if (scanned >= maxLine)
            {
                throw new InvalidDataException($"a streamed JSON line exceeded {maxLine} bytes");
            }

            Compact();
            var read = await stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
            if (read == 0)
            {
                // A last document without a newline still counts.
                if (_end > _start)
                {
                    var tail = _buffer.AsMemory(_start, _end - _start);
                    _start = _end;
                    return tail.Span.Trim((byte)'\r').IsEmpty ? null : tail;
                }

                return null;
            }

            _end += read;
        }
    }

    private void Compact()
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }
    }
}
