using Correctomatic.Shared.Configuration;
using Correctomatic.Shared.Docker;
using Microsoft.Extensions.Configuration;

namespace Correctomatic.Tests.Unit.Configuration;

/// <summary>DOCKER_HOST as the docker CLI reads it (docker/cli opts/hosts.go).</summary>
public sealed class DockerEndpointTests
{
    [Theory]
    [InlineData(null, "/var/run/docker.sock")]
    [InlineData("", "/var/run/docker.sock")]
    [InlineData("unix://", "/var/run/docker.sock")]
    [InlineData("unix:///run/user/1000/docker.sock", "/run/user/1000/docker.sock")]
    public void Parse_Unix_SocketPath(string? value, string path)
    {
        var endpoint = DockerEndpoint.Parse(value);

        Assert.True(endpoint.IsUnix);
        Assert.Equal(path, endpoint.SocketPath);
    }

    [Theory]
    [InlineData("tcp://10.0.0.5:2376", false, "10.0.0.5", 2376)]
    [InlineData("tcp://docker.example", false, "docker.example", 2375)]
    [InlineData("tcp://docker.example", true, "docker.example", 2376)]
    [InlineData("tcp://docker.example:4243/", true, "docker.example", 4243)]
    public void Parse_Tcp_HostAndPortWithTheCliDefaults(string value, bool tls, string host, int port)
    {
        var endpoint = DockerEndpoint.Parse(value, tls);

        Assert.False(endpoint.IsUnix);
        Assert.Equal(host, endpoint.Host);
        Assert.Equal(port, endpoint.Port);
        Assert.Equal(value, endpoint.Original);
    }

    [Theory]
    [InlineData("ssh://user@host", "only unix:// and tcp://")]
    [InlineData("npipe:////./pipe/docker_engine", "only unix:// and tcp://")]
    [InlineData("unix://relative.sock", "absolute")]
    [InlineData("tcp://", "tcp://host[:port]")]
    public void TryParse_Unsupported_ExplainsWhy(string value, string reason)
    {
        Assert.False(DockerEndpoint.TryParse(value, false, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void DockerSettings_TlsVerifySetAndBadHost_ReadAsTheCliAndErrorsNamed()
    {
        var reader = new SettingsReader(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["DOCKER_HOST"] = "tcp://engine.example",
            ["DOCKER_TLS_VERIFY"] = "1",
            ["DOCKER_CERT_PATH"] = "/nonexistent/certs",
        }).Build());

        var options = DockerSettings.Read(reader);

        Assert.True(options.TlsVerify);
        Assert.Equal("tcp://engine.example", options.DockerHost);
        Assert.Contains(reader.Errors, e => e.Contains("DOCKER_CERT_PATH", StringComparison.Ordinal));
    }

    [Fact]
    public void DockerSettings_Unset_DefaultSocketWithoutTls()
    {
        var reader = new SettingsReader(new ConfigurationBuilder().Build());

        var options = DockerSettings.Read(reader);

        Assert.Equal("unix:///var/run/docker.sock", options.DockerHost);
        Assert.False(options.TlsVerify);
        Assert.Empty(reader.Errors);
    }

    [Fact]
    public void DockerSettings_UnsupportedScheme_ErrorNamesDockerHost()
    {
        var reader = new SettingsReader(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["DOCKER_HOST"] = "ssh://x" }).Build());

        DockerSettings.Read(reader);

        Assert.Contains(reader.Errors, e => e.StartsWith("DOCKER_HOST=", StringComparison.Ordinal));
    }
}
