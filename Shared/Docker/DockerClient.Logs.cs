using System.Buffers;

namespace Correctomatic.Shared.Docker;

/// <summary>Container logs, demultiplexed and capped per stream (issue #4: memory bounded whatever the container prints).</summary>
public sealed partial class DockerClient
{
    private const int LogReadBuffer = 32 * 1024;

    public async Task<ContainerLogs> GetLogsAsync(string containerId, int maxBytesPerStream, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytesPerStream);
        var both = await ReadLogsAsync(containerId, stdout: true, stderr: true, maxBytesPerStream, cancellationToken);
        if (!both.Stopped)
        {
            return new ContainerLogs(both.Stdout, both.Stderr, false, false);
        }

        // One stream went past its cap and we stopped reading; the other may have more after that point, so it is
        // read again on its own (the engine filters by stream), also stopping at the cap. Only the truncated case pays this.
        if (both.StdoutTruncated)
        {
            var err = await ReadLogsAsync(containerId, stdout: false, stderr: true, maxBytesPerStream, cancellationToken);
            return new ContainerLogs(both.Stdout, err.Stderr, true, err.StderrTruncated);
        }

        var @out = await ReadLogsAsync(containerId, stdout: true, stderr: false, maxBytesPerStream, cancellationToken);
        return new ContainerLogs(@out.Stdout, both.Stderr, @out.StdoutTruncated, true);
    }

    private async Task<LogDemultiplexer> ReadLogsAsync(string containerId, bool stdout, bool stderr, int cap, CancellationToken cancellationToken)
    {
        var path = $"/containers/{Escape(containerId)}/logs?stdout={(stdout ? "true" : "false")}&stderr={(stderr ? "true" : "false")}";
        using var response = await OpenAsync(HttpMethod.Get, path, null, cancellationToken);
        var demux = new LogDemultiplexer(cap);
        var buffer = ArrayPool<byte>.Shared.Rent(LogReadBuffer);
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            int read;
            while ((read = await stream.ReadAsync(buffer.AsMemory(0, LogReadBuffer), cancellationToken)) > 0)
            {
                if (!demux.Feed(buffer.AsSpan(0, read)))
                {
                    break; // disposing the response now closes the connection rather than draining the rest
                }
            }
        }
        catch (IOException ex)
        {
            throw DockerErrors.Unreachable(Endpoint, ex);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return demux.MidFrame && !demux.Stopped
            ? throw new DockerUnreachableException($"the Docker engine at {Endpoint} ended the logs of {containerId} in the middle of a frame")
            : demux;
    }
}
