namespace Correctomatic.Shared.Docker;

/// <summary>
/// API version negotiation, which Docker.DotNet.Enhanced 4.3.3 lacks: as the docker CLI (client/client.go
/// NegotiateAPIVersion), the lower of the engine's version and the newest this client knows (Engine API "Versioning"),
/// so Debian 12's engine (20.10, API 1.41) and current ones (29.x, API 1.54, which refuse anything below 1.44) both work.
/// DOCKER_API_VERSION, when set, skips this.
/// </summary>
internal static class EngineApiVersion
{
    /// <summary>The version Docker.DotNet.Enhanced 4.3.3 is generated against (docker v29.4.1).</summary>
    public static readonly Version ClientMax = new(1, 54);

    /// <summary>The oldest with everything we send: Mounts, NanoCpus (1.25) and wait conditions (1.30).</summary>
    public static readonly Version ClientMin = new(1, 30);

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
}
