using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace Correctomatic.Tests.Integration.Docker;

/// <summary>
/// A minimal registry (Docker Registry HTTP API V2: /v2/, manifests, blobs) on 127.0.0.1 — which the engine treats as
/// insecure by default, so plain HTTP — serving one tiny image behind Basic auth, so a pull proves X-Registry-Auth
/// reaches the registry. The image is one gzip layer holding /hello, built here (no registry exists on this machine).
/// </summary>
public sealed class FakeRegistry : IAsyncDisposable
{
    private const string ManifestType = "application/vnd.docker.distribution.manifest.v2+json";
    private readonly HttpListener _listener = new();
    private readonly Dictionary<string, byte[]> _blobs = [];
    private readonly byte[] _manifest;
    private readonly string _expectedAuthorization;
    private readonly Task _loop;

    public FakeRegistry(string username, string password)
    {
        Port = Infrastructure.RedisServer.FreeTcpPort();
        _expectedAuthorization = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}"));
        var (layer, diffId) = Layer();
        var config = Encoding.UTF8.GetBytes(
            $$"""{"architecture":"amd64","os":"linux","config":{"Cmd":["/hello"]},"rootfs":{"type":"layers","diff_ids":["{{diffId}}"]},"history":[{"created_by":"correctomatic test"}]}""");
        _blobs[Digest(layer)] = layer;
        _blobs[Digest(config)] = config;
        _manifest = Encoding.UTF8.GetBytes(
            $$"""{"schemaVersion":2,"mediaType":"{{ManifestType}}","config":{"mediaType":"application/vnd.docker.container.image.v1+json","size":{{config.Length}},"digest":"{{Digest(config)}}"},"layers":[{"mediaType":"application/vnd.docker.image.rootfs.diff.tar.gzip","size":{{layer.Length}},"digest":"{{Digest(layer)}}"}]}""");
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = ServeAsync();
    }

    public int Port { get; }

    public string Address => $"127.0.0.1:{Port}";

    /// <summary>How many requests carried the expected credentials (manifest and blob requests need them).</summary>
    public int AuthorizedRequests { get; private set; }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        try
        {
            await _loop;
        }
        catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
        {
            // Stopping the listener ends the loop.
        }

        _listener.Close();
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            var context = await _listener.GetContextAsync();
            try
            {
                Answer(context);
            }
            finally
            {
                context.Response.Close();
            }
        }
    }

    private void Answer(HttpListenerContext context)
    {
        var response = context.Response;
        response.Headers["Docker-Distribution-API-Version"] = "registry/2.0";
        if (context.Request.Headers["Authorization"] != _expectedAuthorization)
        {
            response.StatusCode = 401;
            response.Headers["WWW-Authenticate"] = "Basic realm=\"correctomatic-test\"";
            return;
        }

        AuthorizedRequests++;
        var path = context.Request.Url!.AbsolutePath;
        var head = context.Request.HttpMethod == "HEAD";
        if (path == "/v2/")
        {
            Write(response, "application/json", "{}"u8.ToArray(), head);
        }
        else if (path.Contains("/manifests/", StringComparison.Ordinal))
        {
            response.Headers["Docker-Content-Digest"] = Digest(_manifest);
            Write(response, ManifestType, _manifest, head);
        }
        else if (path.Contains("/blobs/", StringComparison.Ordinal) && _blobs.TryGetValue(path[(path.LastIndexOf('/') + 1)..], out var blob))
        {
            response.Headers["Docker-Content-Digest"] = path[(path.LastIndexOf('/') + 1)..];
            Write(response, "application/octet-stream", blob, head);
        }
        else
        {
            response.StatusCode = 404;
        }
    }

    private static void Write(HttpListenerResponse response, string contentType, byte[] body, bool head)
    {
        response.ContentType = contentType;
        response.ContentLength64 = body.Length;
        if (!head)
        {
            response.OutputStream.Write(body);
        }
    }

    private static (byte[] Gzip, string DiffId) Layer()
    {
        using var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "hello")
            {
                Mode = (UnixFileMode)0b111_101_101,
                DataStream = new MemoryStream("pulled through our client\n"u8.ToArray()),
            });
        }

        var raw = tar.ToArray();
        using var gz = new MemoryStream();
        using (var zip = new GZipStream(gz, CompressionLevel.Fastest, leaveOpen: true))
        {
            zip.Write(raw);
        }

        return (gz.ToArray(), Digest(raw));
    }

    private static string Digest(byte[] data) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(data));
}
