using Correctomatic.Shared.Configuration;
using Engine = Docker.DotNet;

namespace Correctomatic.Shared.Docker;

/// <summary>
/// <see cref="IDockerClient"/> over Docker.DotNet.Enhanced (issue #12): one library client per engine, once its API version
/// is negotiated (<see cref="NegotiatedEngine"/>); every library failure turned into ours (<see cref="DockerErrors"/>).
/// Thread-safe; keep one per engine.
/// </summary>
public sealed partial class DockerClient : IDockerClient
{
    private readonly DockerClientOptions _options;
    private readonly NegotiatedEngine _engine;

    private DockerClient(DockerEndpoint endpoint, DockerClientOptions options) =>
        (Endpoint, _options, _engine) = (endpoint.Original, options, new NegotiatedEngine(endpoint, options));

    public string Endpoint { get; }

    /// <summary>The negotiated API version (e.g. 1.41), once a first call has negotiated it.</summary>
    public string? ApiVersion => _engine.ApiVersion;

    /// <summary>A client for a DOCKER_HOST value (unix:///path or tcp://host:port).</summary>
    public static DockerClient Create(string dockerHost, bool tlsVerify = false, string? certPath = null, TimeProvider? timeProvider = null) =>
        Create(new DockerClientOptions { DockerHost = dockerHost, TlsVerify = tlsVerify, CertPath = certPath, TimeProvider = timeProvider ?? TimeProvider.System });

    public static DockerClient Create(DockerClientOptions options) => new(DockerEndpoint.Parse(options.DockerHost, options.TlsVerify), options);

    /// <summary>A client from DOCKER_HOST, DOCKER_TLS_VERIFY, DOCKER_CERT_PATH and DOCKER_API_VERSION.</summary>
    public static DockerClient FromSettings(SettingsReader reader, TimeProvider? timeProvider = null)
    {
        var options = DockerSettings.Read(reader);
        reader.ThrowIfInvalid();
        return Create(options with { TimeProvider = timeProvider ?? TimeProvider.System });
    }

    public Task PingAsync(CancellationToken cancellationToken = default) => CallAsync((e, ct) => e.System.PingAsync(ct), cancellationToken);

    public Task<DockerVersionInfo> GetVersionAsync(CancellationToken cancellationToken = default) =>
        CallAsync(async (e, ct) => DockerMapping.ToVersion(await e.System.GetVersionAsync(ct)), cancellationToken);

    public Task<DockerSystemInfo> GetInfoAsync(CancellationToken cancellationToken = default) =>
        CallAsync(async (e, ct) => DockerMapping.ToSystemInfo(await e.System.GetSystemInfoAsync(ct)), cancellationToken);

    public void Dispose() => _engine.Dispose();

    /// <summary>Runs one library call on the negotiated client; whatever fails comes out as one of our exceptions.</summary>
    private async Task<T> CallAsync<T>(Func<Engine.DockerClient, CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call(await _engine.GetAsync().WaitAsync(cancellationToken), cancellationToken);
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
}
