namespace Correctomatic.Shared.Docker;

/// <summary>
/// Where the engine is, parsed from a DOCKER_HOST value the way the docker CLI reads it (docker/cli opts/hosts.go):
/// <c>unix:///path</c> (empty means /var/run/docker.sock), <c>tcp://host[:port]</c> (2376 with TLS, else 2375).
/// </summary>
public sealed record DockerEndpoint
{
    public const string DefaultUnixSocket = "/var/run/docker.sock";

    private DockerEndpoint(string original, string? socketPath, string? host, int port)
    {
        Original = original;
        SocketPath = socketPath;
        Host = host;
        Port = port;
    }

    /// <summary>As given (or the default), for logs and <see cref="IDockerClient.Endpoint"/>.</summary>
    public string Original { get; }

    /// <summary>The unix socket path, or null for TCP.</summary>
    public string? SocketPath { get; }

    public string? Host { get; }
    public int Port { get; }

    public bool IsUnix => SocketPath is not null;

    /// <summary>Parses DOCKER_HOST; <paramref name="tls"/> picks the CLI's default TCP port (2376 with TLS, 2375 without).</summary>
    public static DockerEndpoint Parse(string? dockerHost, bool tls = false)
    {
        if (!TryParse(dockerHost, tls, out var endpoint, out var error))
        {
            throw new ArgumentException(error, nameof(dockerHost));
        }

        return endpoint;
    }

    public static bool TryParse(string? dockerHost, bool tls, out DockerEndpoint endpoint, out string error)
    {
        endpoint = null!;
        error = "";
        var value = string.IsNullOrWhiteSpace(dockerHost) ? "unix://" + DefaultUnixSocket : dockerHost.Trim();
        if (value.StartsWith("unix://", StringComparison.Ordinal))
        {
            var path = value["unix://".Length..];
            if (path.Length == 0)
            {
                path = DefaultUnixSocket;
            }

            if (!path.StartsWith('/'))
            {
                error = $"DOCKER_HOST='{value}': a unix socket path must be absolute";
                return false;
            }

            endpoint = new DockerEndpoint(value, path, null, 0);
            return true;
        }

        if (value.StartsWith("tcp://", StringComparison.Ordinal))
        {
            if (!Uri.TryCreate("tcp://" + value["tcp://".Length..].TrimEnd('/'), UriKind.Absolute, out var uri) || uri.Host.Length == 0
                || uri.AbsolutePath is not ("/" or ""))
            {
                error = $"DOCKER_HOST='{value}' is not tcp://host[:port]";
                return false;
            }

            var port = uri.IsDefaultPort || uri.Port <= 0 ? (tls ? 2376 : 2375) : uri.Port;
            endpoint = new DockerEndpoint(value, null, uri.Host, port);
            return true;
        }

        error = $"DOCKER_HOST='{value}': only unix:// and tcp:// are supported";
        return false;
    }
}
