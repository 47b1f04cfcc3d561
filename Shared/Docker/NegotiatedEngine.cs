using Correctomatic.Shared.Configuration;
using Engine = Docker.DotNet;

namespace Correctomatic.Shared.Docker;

/// <summary>
/// The library client of one engine, built once the API version is negotiated, which Docker.DotNet.Enhanced 4.3.3 does
/// not do: as the docker CLI (client/client.go NegotiateAPIVersion), the lower of the engine's version and the newest this
/// client knows (Engine API "Versioning"), so Debian 12's engine (20.10, API 1.41) and current ones (29.x, API 1.54, which
/// refuse anything below 1.44) both work. DOCKER_API_VERSION, when set, skips this. A failed negotiation is retried by the next call.
/// </summary>
internal sealed class NegotiatedEngine(DockerEndpoint endpoint, DockerClientOptions options) : IDisposable
{
    /// <summary>The version Docker.DotNet.Enhanced 4.3.3 is generated against (docker v29.4.1).</summary>
    public static readonly Version ClientMax = new(1, 54);

    /// <summary>The oldest with everything we send: Mounts, NanoCpus (1.25) and wait conditions (1.30).</summary>
    public static readonly Version ClientMin = new(1, 30);

    private readonly Lock _gate = new();
    private Task<Engine.DockerClient>? _engine;

    /// <summary>The negotiated API version (e.g. 1.41), once negotiated.</summary>
    public string? ApiVersion { get; private set; }

    public Task<Engine.DockerClient> GetAsync()
    {
        lock (_gate)
        {
            if (_engine is null || _engine.IsFaulted || _engine.IsCanceled)
            {
                _engine = NegotiateAsync();
            }

            return _engine;
        }
    }

    /// <summary>The version to speak, e.g. "1.41", from the engine's ApiVersion; a DockerApiException when there is none.</summary>
    public static string Negotiate(string? engineVersion, string endpoint)
    {
        if (!Version.TryParse(engineVersion, out var engine) || engine.Build >= 0)
        {
            throw new DockerApiException(System.Net.HttpStatusCode.OK, $"the engine at {endpoint} reports no usable API version ('{engineVersion}')");
        }

        if (engine < ClientMin)
        {
            throw new DockerApiException(System.Net.HttpStatusCode.OK, $"the engine at {endpoint} speaks API {engine}; this client needs at least {ClientMin}");
        }

        return (engine < ClientMax ? engine : ClientMax).ToString();
    }

    public void Dispose()
    {
        if (_engine is { IsCompletedSuccessfully: true } engine)
        {
            engine.Result.Dispose();
        }
    }

    private async Task<Engine.DockerClient> NegotiateAsync()
    {
        var version = options.ApiVersion;
        if (version is null)
        {
            // The library's PingAsync drops the API-Version header, so we ask /version (the docker CLI's fallback) on an
            // unversioned client, bounded by RequestTimeout like any prompt call.
            using var probe = DockerEngineBuilder.Build(endpoint, options, apiVersion: null);
            version = Negotiate((await probe.System.GetVersionAsync()).APIVersion, endpoint.Original);
            DockerLog.Negotiated(options.Logger, endpoint.Original, version);
        }

        var engine = DockerEngineBuilder.Build(endpoint, options, Version.Parse(version));
        ApiVersion = version;
        return engine;
    }
}
