using Correctomatic.Shared.Configuration;

namespace Correctomatic.Shared.Docker;

/// <summary>Reads the engine's address from the environment the way the docker CLI does (issue #2, #4).</summary>
public static class DockerSettings
{
    public static DockerClientOptions Read(SettingsReader reader)
    {
        // The CLI treats any non-empty DOCKER_TLS_VERIFY as "on" (docker/cli cli/flags/options.go), so we do too.
        var tlsVerify = reader.Raw("DOCKER_TLS_VERIFY") is { } raw && raw != "0" && !raw.Equals("false", StringComparison.OrdinalIgnoreCase);
        var host = reader.String("DOCKER_HOST", "unix://" + DockerEndpoint.DefaultUnixSocket);
        if (!DockerEndpoint.TryParse(host, tlsVerify, out _, out var error))
        {
            reader.AddError(error);
        }

        var certPath = reader.OptionalString("DOCKER_CERT_PATH");
        if (tlsVerify && certPath is not null && !Directory.Exists(certPath))
        {
            reader.AddError($"DOCKER_CERT_PATH='{certPath}' does not exist");
        }

        return new DockerClientOptions
        {
            DockerHost = host,
            TlsVerify = tlsVerify,
            CertPath = certPath,
            ApiVersion = reader.OptionalString("DOCKER_API_VERSION"),
        };
    }
}
