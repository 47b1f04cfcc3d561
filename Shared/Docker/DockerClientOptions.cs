using Correctomatic.Shared.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Correctomatic.Shared.Docker;

/// <summary>How to reach the engine: DOCKER_HOST, DOCKER_TLS_VERIFY and DOCKER_CERT_PATH as the docker CLI reads them (<see cref="DockerSettings"/>).</summary>
public sealed record DockerClientOptions
{
    public string DockerHost { get; init; } = "unix://" + DockerEndpoint.DefaultUnixSocket;

    /// <summary>With tcp://, verify the engine against ca.pem and present cert.pem/key.pem.</summary>
    public bool TlsVerify { get; init; }

    /// <summary>Holds ca.pem, cert.pem and key.pem; the CLI's default is ~/.docker.</summary>
    public string? CertPath { get; init; }

    /// <summary>Ceiling for requests that should answer promptly (everything but wait, events, pull and logs).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long to wait for a tcp connection to the engine before calling it unreachable.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>A fixed API version (DOCKER_API_VERSION, e.g. 1.41) instead of negotiating; null negotiates.</summary>
    public string? ApiVersion { get; init; }

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Logs the negotiated version and events reconnections; the library logs its transport through it too.</summary>
    public ILogger Logger { get; init; } = NullLogger.Instance;
}
