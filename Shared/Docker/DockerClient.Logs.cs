using System.Buffers;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace Correctomatic.Shared.Docker;

/// <summary>Container logs, demultiplexed by the library and capped per stream here: memory stays bounded whatever the container printed.</summary>
public sealed partial class DockerClient
{
    public Task<ContainerLogs> GetLogsAsync(string containerId, int maxBytesPerStream, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytesPerStream);
        return CallAsync(async (e, ct) =>
        {
            var both = await ReadCappedAsync(e, containerId, true, true, maxBytesPerStream, ct);
            // Reading stopped where one stream passed its cap; the other may have more after that point, so it is read
            // again on its own (the engine filters by stream), also up to the cap. Only the truncated case pays this.
            return (both.StdoutTruncated, both.StderrTruncated) switch
            {
                (true, _) => await ReadCappedAsync(e, containerId, false, true, maxBytesPerStream, ct) with { Stdout = both.Stdout, StdoutTruncated = true },
                (_, true) => await ReadCappedAsync(e, containerId, true, false, maxBytesPerStream, ct) with { Stderr = both.Stderr, StderrTruncated = true },
                _ => both,
            };
        }, cancellationToken);
    }

    /// <summary>Reads frames until the end or until one stream passes the cap; disposing then closes the connection unread.</summary>
    private static async Task<ContainerLogs> ReadCappedAsync(global::Docker.DotNet.DockerClient engine, string containerId, bool stdout, bool stderr,
        int cap, CancellationToken cancellationToken)
    {
        using var logs = await engine.Containers.GetContainerLogsAsync(containerId, new ContainerLogsParameters { ShowStdout = stdout, ShowStderr = stderr },
            cancellationToken);
        var kept = new[] { new MemoryStream(), new MemoryStream() };
        var truncated = new bool[2];
        var buffer = ArrayPool<byte>.Shared.Rent(32 * 1024);
        try
        {
            while (await logs.ReadOutputAsync(buffer, 0, buffer.Length, cancellationToken) is { EOF: false } frame)
            {
                var i = frame.Target == MultiplexedStream.TargetStream.StandardError ? 1 : 0;
                var room = cap - (int)kept[i].Length;
                kept[i].Write(buffer, 0, Math.Min(room, frame.Count));
                if (frame.Count > room)
                {
                    truncated[i] = true;
                    break;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return new ContainerLogs(kept[0].ToArray(), kept[1].ToArray(), truncated[0], truncated[1]);
    }
}
