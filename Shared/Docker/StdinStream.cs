using System.Runtime.InteropServices;
using Docker.DotNet;

namespace Correctomatic.Shared.Docker;

/// <summary>A container's stdin (<see cref="DockerClient.AttachStdinAsync"/>), write-only; disposing closes the write side and the connection, which the container reads as end of file.</summary>
internal sealed class StdinStream(MultiplexedStream attached, string endpoint) : Stream
{
    private bool _closed;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var bytes = MemoryMarshal.TryGetArray(buffer, out var segment) ? segment : new ArraySegment<byte>(buffer.ToArray());
        try
        {
            await attached.WriteAsync(bytes.Array!, bytes.Offset, bytes.Count, cancellationToken);
        }
        catch (Exception ex) when (DockerErrors.Translate(ex, endpoint, cancellationToken) is { } ours)
        {
            throw ours;
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count).GetAwaiter().GetResult();
    public override void Flush() { }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_closed)
        {
            _closed = true;
            attached.CloseWrite();
            attached.Dispose();
        }

        base.Dispose(disposing);
    }
}
