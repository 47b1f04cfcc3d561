using System.Buffers.Binary;

namespace Correctomatic.Shared.Docker;

/// <summary>
/// Splits the multiplexed log stream of a non-TTY container into stdout and stderr (Engine API v1.41 "Attach to a
/// container", stream format: an 8-byte header — stream type, three zero bytes, big-endian payload length — then the
/// payload). Keeps at most <c>cap</c> bytes per stream and says to stop as soon as a wanted stream goes past its cap,
/// so the caller stops reading the HTTP stream instead of draining whatever the container printed.
/// Chunk boundaries may fall anywhere, headers included.
/// </summary>
internal sealed class LogDemultiplexer
{
    private const int HeaderSize = 8;
    private readonly int _cap;
    private readonly byte[] _header = new byte[HeaderSize];
    private readonly Output _stdout;
    private readonly Output _stderr;
    private int _headerFill;
    private Output? _current;
    private long _frameRemaining;

    public LogDemultiplexer(int cap)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(cap);
        _cap = cap;
        _stdout = new Output(cap);
        _stderr = new Output(cap);
    }

    public bool StdoutTruncated => _stdout.Truncated;
    public bool StderrTruncated => _stderr.Truncated;

    /// <summary>True once a stream went past its cap: nothing more needs reading on this response.</summary>
    public bool Stopped { get; private set; }

    /// <summary>True when the input ended in the middle of a frame (the engine went away mid-answer).</summary>
    public bool MidFrame => _headerFill > 0 || _frameRemaining > 0;

    public byte[] Stdout => _stdout.ToArray();
    public byte[] Stderr => _stderr.ToArray();

    /// <summary>Consumes a chunk; returns false once <see cref="Stopped"/> (the rest of the chunk is ignored).</summary>
    public bool Feed(ReadOnlySpan<byte> chunk)
    {
        while (!chunk.IsEmpty && !Stopped)
        {
            if (_frameRemaining == 0)
            {
                var take = Math.Min(HeaderSize - _headerFill, chunk.Length);
                chunk[..take].CopyTo(_header.AsSpan(_headerFill));
                _headerFill += take;
                chunk = chunk[take..];
                if (_headerFill < HeaderSize)
                {
                    break;
                }

                _headerFill = 0;
                _current = _header[0] switch
                {
                    0 or 1 => _stdout, // stdin frames only exist with attach; docker's stdcopy puts them with stdout
                    2 => _stderr,
                    _ => throw new InvalidDataException($"log stream header names stream {_header[0]}; a TTY container's logs are not multiplexed"),
                };
                _frameRemaining = BinaryPrimitives.ReadUInt32BigEndian(_header.AsSpan(4));
                continue;
            }

            var n = (int)Math.Min(_frameRemaining, chunk.Length);
            if (!_current!.Append(chunk[..n]))
            {
                Stopped = true;
                return false;
            }

            _frameRemaining -= n;
            chunk = chunk[n..];
        }

        return !Stopped;
    }

    /// <summary>One stream's bytes, kept up to the cap; growing as needed, so small outputs cost little.</summary>
    private sealed class Output(int cap)
    {
        private byte[] _buffer = [];
        private int _length;

        public bool Truncated { get; private set; }

        /// <summary>Appends what fits; false (and Truncated) when bytes beyond the cap arrived.</summary>
        public bool Append(ReadOnlySpan<byte> data)
        {
            var fits = Math.Min(data.Length, cap - _length);
            if (fits > 0)
            {
                if (_length + fits > _buffer.Length)
                {
                    Array.Resize(ref _buffer, (int)Math.Min(cap, Math.Max(_length + fits, Math.Max(4096L, _buffer.Length * 2L))));
                }

                data[..fits].CopyTo(_buffer.AsSpan(_length));
                _length += fits;
            }

            if (fits < data.Length)
            {
                Truncated = true;
                return false;
            }

            return true;
        }

        public byte[] ToArray() => _buffer.AsSpan(0, _length).ToArray();
    }
}
