using System.Runtime.InteropServices;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace Correctomatic.Shared.Docker;

/// <summary>Stdin delivery through the library's hijacked attach stream (Engine API "Attach to a container").</summary>
public sealed partial class DockerClient
{
    public Task<Stream> AttachStdinAsync(string containerId, CancellationToken cancellationToken = default) => CallAsync<Stream>(async (e, ct) =>
        new StdinStream(await e.Containers.AttachContainerAsync(containerId, new ContainerAttachParameters { Stream = true, Stdin = true }, ct), Endpoint),
        cancellationToken);

    /// <summary>Write-only; disposing closes the write side (and the connection), which is the container's end of stdin.</summary>
    private sealed class StdinStream(MultiplexedStream attached, string endpoint) : Stream
    {
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

        private bool _closed;

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
}
