using Correctomatic.Shared.Docker;

namespace Correctomatic.Shared.Configuration;

/// <summary>Reads the engine's address from the environment the way the docker CLI does (issue #2, #4).</summary>
public static class DockerSettings
{
    public static DockerClientOptions Read(SettingsReader reader)
    {
        // The CLI treats any non-empty DOCKER_TLS_VERIFY as "on", even "0" (docker/cli cli/flags/options.go:
        // os.Getenv("DOCKER_TLS_VERIFY") != ""), so we do too; leave it empty to turn TLS off.
        var tlsVerify = reader.Raw("DOCKER_TLS_VERIFY") is not null;
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

        var apiVersion = reader.OptionalString("DOCKER_API_VERSION");
        if (apiVersion is not null && !(Version.TryParse(apiVersion, out var v) && v.Build < 0))
        {
            reader.AddError($"DOCKER_API_VERSION='{apiVersion}' is not an Engine API version such as 1.41");
        }

        return new DockerClientOptions { DockerHost = host, TlsVerify = tlsVerify, CertPath = certPath, ApiVersion = apiVersion };
    }
}
