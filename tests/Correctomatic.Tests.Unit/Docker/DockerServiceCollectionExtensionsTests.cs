using Correctomatic.Shared.Configuration;
using Correctomatic.Shared.Docker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Correctomatic.Tests.Unit.Docker;

public sealed class DockerServiceCollectionExtensionsTests
{
    [Fact]
    public void AddDockerClient_DockerHostSet_OneSharedClientForThatEndpoint()
    {
        var reader = new SettingsReader(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["DOCKER_HOST"] = "unix:///run/other/docker.sock",
        }).Build());
        using var provider = new ServiceCollection().AddLogging().AddDockerClient(reader).BuildServiceProvider();

        var first = provider.GetRequiredService<IDockerClient>();
        var second = provider.GetRequiredService<IDockerClient>();

        Assert.Empty(reader.Errors);
        Assert.Same(first, second);
        Assert.Equal("unix:///run/other/docker.sock", first.Endpoint);
    }

    [Fact]
    public void AddDockerClient_BadDockerHost_ErrorJoinsTheReader()
    {
        var reader = new SettingsReader(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["DOCKER_HOST"] = "http://nope",
        }).Build());

        new ServiceCollection().AddDockerClient(reader);

        Assert.Throws<InvalidSettingsException>(reader.ThrowIfInvalid);
    }
}
