using System.Globalization;
using Correctomatic.Shared.Configuration;
using Engine = Docker.DotNet;

namespace Correctomatic.Shared.Docker;

/// <summary>
/// <see cref="IDockerClient"/> over Docker.DotNet.Enhanced (issue #12): one library client per engine, built once the
/// API version is negotiated (<see cref="EngineApiVersion"/>), every library failure turned into ours
/// (<see cref="DockerErrors"/>); typed operations in the partial files. Thread-safe; keep one per engine.
/// </summary>
public sealed partial class DockerClient : IDockerClient
{
    private readonly DockerEndpoint _endpoint;
    private readonly DockerClientOptions _options;
    private readonly Lock _gate = new();
    private Task<Engine.DockerClient>? _engine;

    private DockerClient(DockerEndpoint endpoint, DockerClientOptions options) => (_endpoint, _options) = (endpoint, options);

    public string Endpoint => _endpoint.Original;

    /// <summary>The negotiated API version (e.g. 1.41), once a first call has negotiated it.</summary>
    public string? ApiVersion { get; private set; }

    /// <summary>A client for a DOCKER_HOST value (unix:///path or tcp://host:port).</summary>
    public static DockerClient Create(string dockerHost, bool tlsVerify = false, string? certPath = null, TimeProvider? timeProvider = null) =>
        Create(new DockerClientOptions { DockerHost = dockerHost, TlsVerify = tlsVerify, CertPath = certPath, TimeProvider = timeProvider ?? TimeProvider.System });

    public static DockerClient Create(DockerClientOptions options) => new(DockerEndpoint.Parse(options.DockerHost, options.TlsVerify), options);

    /// <summary>A client from DOCKER_HOST, DOCKER_TLS_VERIFY, DOCKER_CERT_PATH (and DOCKER_API_VERSION) read through the settings reader.</summary>
    public static DockerClient FromSettings(SettingsReader reader, TimeProvider? timeProvider = null)
    {
        var options = DockerSettings.Read(reader);
        reader.ThrowIfInvalid();
        return Create(options with { TimeProvider = timeProvider ?? TimeProvider.System });
    }

    public Task PingAsync(CancellationToken cancellationToken = default) => CallAsync((e, ct) => e.System.PingAsync(ct), cancellationToken);

    public Task<DockerVersionInfo> GetVersionAsync(CancellationToken cancellationToken = default) => CallAsync(async (e, ct) =>
    {
        var v = await e.System.GetVersionAsync(ct);
        return new DockerVersionInfo(v.Version, v.APIVersion, v.MinAPIVersion ?? "", v.Os, v.Arch);
    }, cancellationToken);

    public Task<DockerSystemInfo> GetInfoAsync(CancellationToken cancellationToken = default) => CallAsync(async (e, ct) =>
    {
        var info = await e.System.GetSystemInfoAsync(ct);
        return new DockerSystemInfo(info.ID, info.Name, info.ServerVersion)
        {
            SystemTime = DateTimeOffset.TryParse(info.SystemTime, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null,
        };
    }, cancellationToken);

    public void Dispose()
    {
        if (_engine is { IsCompletedSuccessfully: true } engine)
        {
            engine.Result.Dispose();
        }
    }

    /// <summary>Runs one library call on the negotiated client; whatever fails comes out as one of our exceptions.</summary>
    private async Task<T> CallAsync<T>(Func<Engine.DockerClient, CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call(await EngineAsync().WaitAsync(cancellationToken), cancellationToken);
        }
        catch (Exception ex) when (DockerErrors.Translate(ex, Endpoint, cancellationToken) is { } ours)
        {
            throw ours;
        }
    }

    private Task CallAsync(Func<Engine.DockerClient, CancellationToken, Task> call, CancellationToken cancellationToken) =>
        CallAsync(async (e, ct) =>
        {
            await call(e, ct);
            return true;
        }, cancellationToken);

    /// <summary>The library client, negotiated once; a failed negotiation is retried by the next call.</summary>
    private Task<Engine.DockerClient> EngineAsync()
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

    private async Task<Engine.DockerClient> NegotiateAsync()
    {
        var version = _options.ApiVersion;
        if (version is null)
        {
            // Docker.DotNet 4.3.3 does not negotiate, and its PingAsync drops the API-Version header, so we ask /version
            // (the docker CLI's fallback) on an unversioned client, bounded by RequestTimeout like any prompt call.
            using var probe = DockerEngineBuilder.Build(_endpoint, _options, apiVersion: null);
            version = EngineApiVersion.Negotiate((await probe.System.GetVersionAsync()).APIVersion, Endpoint);
            DockerLog.Negotiated(_options.Logger, Endpoint, version);
        }

        var engine = DockerEngineBuilder.Build(_endpoint, _options, Version.Parse(version));
        ApiVersion = version;
        return engine;
    }
}
