using Correctomatic.Shared.Configuration;

namespace Correctomatic.Shared.Docker;

/// <summary>
/// Our Docker Engine API client (issue #4): HTTP/1.1 over the unix socket or TCP(+TLS), API version negotiated once
/// from /_ping (or /version) and used as the path prefix (/v1.41/...), typed operations in the partial files
/// (Containers, Logs, Events, Images). Thread-safe; one instance per engine, kept for the process's life.
/// </summary>
public sealed partial class DockerClient : IDockerClient
{
    private readonly HttpClient _http;
    private readonly DockerClientOptions _options;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private Task<string>? _prefix;

    private DockerClient(DockerEndpoint endpoint, DockerClientOptions options)
    {
        _options = options;
        _time = options.TimeProvider;
        var (handler, baseAddress) = DockerTransport.Create(endpoint, options);
        // Infinite here; prompt requests get options.RequestTimeout each, while wait, events, pull and logs run as long as the caller lets them.
        _http = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("Correctomatic/1.0");
        Endpoint = endpoint.Original;
    }

    public string Endpoint { get; }

    /// <summary>The negotiated API version (e.g. 1.41), once a first call has negotiated it.</summary>
    public string? ApiVersion => _prefix is { IsCompletedSuccessfully: true } p ? p.Result.TrimStart('/', 'v') : null;

    /// <summary>A client for a DOCKER_HOST value (unix:///path or tcp://host:port).</summary>
    public static DockerClient Create(string dockerHost, bool tlsVerify = false, string? certPath = null, TimeProvider? timeProvider = null) =>
        Create(new DockerClientOptions
        {
            DockerHost = dockerHost,
            TlsVerify = tlsVerify,
            CertPath = certPath,
            TimeProvider = timeProvider ?? TimeProvider.System,
        });

    public static DockerClient Create(DockerClientOptions options) =>
        new(DockerEndpoint.Parse(options.DockerHost, options.TlsVerify), options);

    /// <summary>A client from DOCKER_HOST, DOCKER_TLS_VERIFY, DOCKER_CERT_PATH (and DOCKER_API_VERSION) read through the settings reader.</summary>
    public static DockerClient FromSettings(SettingsReader reader, TimeProvider? timeProvider = null)
    {
        var options = DockerSettings.Read(reader);
        reader.ThrowIfInvalid();
        return Create(options with { TimeProvider = timeProvider ?? TimeProvider.System });
    }

    public async Task PingAsync(CancellationToken cancellationToken = default)
    {
        var body = await SendAsync(HttpMethod.Get, "/_ping", null, cancellationToken, versioned: false);
        if (body != "OK")
        {
            throw new DockerApiException(System.Net.HttpStatusCode.OK, $"/_ping answered '{body}' instead of OK");
        }
    }

    public async Task<DockerVersionInfo> GetVersionAsync(CancellationToken cancellationToken = default)
    {
        var body = await SendAsync(HttpMethod.Get, "/version", null, cancellationToken, versioned: false);
        return DockerJson.ParseVersion(body);
    }

    public async Task<DockerSystemInfo> GetInfoAsync(CancellationToken cancellationToken = default)
    {
        var body = await SendAsync(HttpMethod.Get, "/info", null, cancellationToken);
        return DockerJson.ParseInfo(body);
    }

    public void Dispose() => _http.Dispose();

    /// <summary>The versioned path prefix, negotiated once; a failed negotiation is retried by the next call.</summary>
    private Task<string> PrefixAsync()
    {
        var current = _prefix;
        if (current is { IsCompletedSuccessfully: true })
        {
            return current;
        }

        lock (_gate)
        {
            if (_prefix is null || _prefix.IsFaulted || _prefix.IsCanceled)
            {
                _prefix = NegotiateAsync();
            }

            return _prefix;
        }
    }

    /// <summary>
    /// As the docker CLI (client/client.go NegotiateAPIVersion): the engine's API-Version header on /_ping, else
    /// ApiVersion from /version; we use the lower of that and the newest we know (Engine API "Versioning").
    /// </summary>
    private async Task<string> NegotiateAsync()
    {
        if (_options.ApiVersion is { } fixedVersion)
        {
            return "/v" + fixedVersion;
        }

        using var cts = new CancellationTokenSource(_options.RequestTimeout, _time);
        string? header;
        using (var ping = await SendRawAsync(HttpMethod.Get, "/_ping", null, null, cts.Token))
        {
            await EnsureSuccessAsync(ping, cts.Token);
            header = ping.Headers.TryGetValues("API-Version", out var values) ? values.FirstOrDefault() : null;
        }

        if (!EngineApiVersion.TryParse(header, out var engine))
        {
            var version = DockerJson.ParseVersion(await SendAsync(HttpMethod.Get, "/version", null, cts.Token, versioned: false));
            if (!EngineApiVersion.TryParse(version.ApiVersion, out engine))
            {
                throw new DockerApiException(System.Net.HttpStatusCode.OK, $"the engine reports no usable API version ('{version.ApiVersion}')");
            }
        }

        if (engine.CompareTo(EngineApiVersion.ClientMin) < 0)
        {
            throw new DockerApiException(System.Net.HttpStatusCode.OK,
                $"the engine at {Endpoint} speaks API {engine}; this client needs at least {EngineApiVersion.ClientMin}");
        }

        return "/v" + EngineApiVersion.Negotiate(engine);
    }
}
