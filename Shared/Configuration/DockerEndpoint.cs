namespace Correctomatic.Shared.Configuration;

/// <summary>
/// Where the engine is, parsed from a DOCKER_HOST value the way the docker CLI reads it (docker/cli opts/hosts.go):
/// <c>unix:///path</c> (empty means /var/run/docker.sock), <c>tcp://host[:port]</c> (2376 with TLS, else 2375).
/// </summary>
public sealed record DockerEndpoint(string Original, string? SocketPath, string? Host, int Port)
{
    public const string DefaultUnixSocket = "/var/run/docker.sock";

    public bool IsUnix => SocketPath is not null;

    public static DockerEndpoint Parse(string? dockerHost, bool tls = false) =>
        TryParse(dockerHost, tls, out var endpoint, out var error) ? endpoint : throw new ArgumentException(error, nameof(dockerHost));

    public static bool TryParse(string? dockerHost, bool tls, out DockerEndpoint endpoint, out string error)
    {
        var value = string.IsNullOrWhiteSpace(dockerHost) ? "unix://" + DefaultUnixSocket : dockerHost.Trim();
        (endpoint, error) = (null!, "");
        if (value.StartsWith("unix://", StringComparison.Ordinal))
        {
            var path = value["unix://".Length..] is { Length: > 0 } p ? p : DefaultUnixSocket;
            (endpoint, error) = path.StartsWith('/') ? (new DockerEndpoint(value, path, null, 0), "") : (null!, $"DOCKER_HOST='{value}': a unix socket path must be absolute");
        }
        else if (!value.StartsWith("tcp://", StringComparison.Ordinal))
        {
            error = $"DOCKER_HOST='{value}': only unix:// and tcp:// are supported";
        }
        else if (Uri.TryCreate(value.TrimEnd('/'), UriKind.Absolute, out var uri) && uri.Host.Length > 0 && uri.AbsolutePath is "/" or "")
        {
            endpoint = new DockerEndpoint(value, null, uri.Host, uri.IsDefaultPort || uri.Port <= 0 ? (tls ? 2376 : 2375) : uri.Port);
        }
        else
        {
            error = $"DOCKER_HOST='{value}' is not tcp://host[:port]";
        }

        return endpoint is not null;
    }
}
