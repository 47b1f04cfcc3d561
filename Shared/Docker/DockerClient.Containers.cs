using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Correctomatic.Shared.Docker;

/// <summary>Container operations (Engine API v1.41 "Container" section).</summary>
public sealed partial class DockerClient
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private static readonly MediaTypeHeaderValue Tar = new("application/x-tar");

    public async Task<string> CreateContainerAsync(ContainerSpec spec, CancellationToken cancellationToken = default)
    {
        var path = spec.Name is { } name ? "/containers/create?name=" + Escape(name) : "/containers/create";
        var content = new ByteArrayContent(ContainerSpecWriter.Write(spec)) { Headers = { ContentType = Json } };
        var body = await SendAsync(HttpMethod.Post, path, content, cancellationToken);
        return DockerJson.ParseCreatedId(body);
    }

    public async Task PutFileAsync(string containerId, string path, ReadOnlyMemory<byte> content, int mode = 0b110_100_100, int uid = 0, int gid = 0,
        CancellationToken cancellationToken = default)
    {
        if (!path.StartsWith('/') || path.EndsWith('/'))
        {
            throw new ArgumentException($"'{path}' must be an absolute file path", nameof(path));
        }

        // Extract in the parent directory: with a read-only rootfs the engine refuses "/" but accepts a writable volume there.
        var slash = path.LastIndexOf('/');
        var directory = slash == 0 ? "/" : path[..slash];
        var tar = SingleFileTar.Build(path[(slash + 1)..], content, mode, uid, gid, _time.GetUtcNow());
        var body = new ByteArrayContent(tar) { Headers = { ContentType = Tar } };
        await SendAsync(HttpMethod.Put, $"/containers/{Escape(containerId)}/archive?path={Escape(directory)}&noOverwriteDirNonDir=true", body,
            cancellationToken);
    }

    public async Task StartContainerAsync(string containerId, CancellationToken cancellationToken = default) =>
        // 304: already started, which is what the caller wanted.
        await SendAsync(HttpMethod.Post, $"/containers/{Escape(containerId)}/start", null, cancellationToken, accept: HttpStatusCode.NotModified);

    public async Task<long> WaitContainerAsync(string containerId, CancellationToken cancellationToken = default)
    {
        // condition=not-running answers at once for a container that has already stopped (no lost wake-up).
        using var response = await OpenAsync(HttpMethod.Post, $"/containers/{Escape(containerId)}/wait?condition=not-running", null, cancellationToken);
        string body;
        try
        {
            body = await response.Content.ReadAsStringAsync(cancellationToken);
        }
        catch (IOException ex)
        {
            throw DockerErrors.Unreachable(Endpoint, ex);
        }

        var exitCode = DockerJson.ParseWait(body, out var error);
        return error is null ? exitCode : throw new DockerApiException(HttpStatusCode.OK, error);
    }

    public async Task<ContainerInfo> InspectContainerAsync(string containerId, CancellationToken cancellationToken = default) =>
        DockerJson.ParseContainer(await SendAsync(HttpMethod.Get, $"/containers/{Escape(containerId)}/json", null, cancellationToken));

    public async Task KillContainerAsync(string containerId, string signal = "KILL", CancellationToken cancellationToken = default) =>
        await SendAsync(HttpMethod.Post, $"/containers/{Escape(containerId)}/kill?signal={Escape(signal)}", null, cancellationToken);

    public async Task RemoveContainerAsync(string containerId, bool force = true, CancellationToken cancellationToken = default)
    {
        try
        {
            // v=true takes the anonymous volumes (the /tmp a file was put into) with the container.
            await SendAsync(HttpMethod.Delete, $"/containers/{Escape(containerId)}?v=true&force={(force ? "true" : "false")}", null, cancellationToken,
                accept: HttpStatusCode.NotFound);
        }
        catch (DockerConflictException ex) when (ex.EngineMessage.Contains("already in progress", StringComparison.OrdinalIgnoreCase))
        {
            // Another remover got there first (the completer and a sweeper may race): the container is going, as asked.
        }
    }

    public async Task<IReadOnlyList<ContainerSummary>> ListContainersAsync(IReadOnlyList<string> labels, bool all = true,
        CancellationToken cancellationToken = default)
    {
        var path = $"/containers/json?all={(all ? "true" : "false")}&filters={Escape(Filters(("label", labels)))}";
        return DockerJson.ParseList(await SendAsync(HttpMethod.Get, path, null, cancellationToken));
    }

    /// <summary>The filters query value: a JSON map of filter name to values (Engine API "filters" parameter).</summary>
    internal static string Filters(params (string Name, IReadOnlyList<string> Values)[] filters)
    {
        var sb = new StringBuilder("{");
        foreach (var (name, values) in filters.Where(f => f.Values.Count > 0))
        {
            if (sb.Length > 1)
            {
                sb.Append(',');
            }

            sb.Append(System.Text.Json.JsonSerializer.Serialize(name)).Append(':')
                .Append(System.Text.Json.JsonSerializer.Serialize(values));
        }

        return sb.Append('}').ToString();
    }
}
