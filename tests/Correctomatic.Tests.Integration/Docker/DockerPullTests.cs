using Correctomatic.Shared.Docker;
using Correctomatic.Tests.Integration.Infrastructure;

namespace Correctomatic.Tests.Integration.Docker;

/// <summary>Image pull with X-Registry-Auth and progress, from a registry on this machine (issue #4).</summary>
public sealed class DockerPullTests
{
    [Fact]
    public async Task PullImage_RegistryWantsCredentials_PullsWithThemAndReportsProgress()
    {
        await using var run = await DockerTestRun.StartAsync();
        await using var registry = new FakeRegistry("tester", "s3cret");
        var image = $"{registry.Address}/correctomatic/pulled-{Guid.NewGuid():N}:v1";
        var progress = new List<string>();
        try
        {
            await run.Client.PullImageAsync(image, new RegistryCredentials("tester", "s3cret", registry.Address), new SyncProgress(progress));
            var pulled = await run.Client.InspectImageAsync(image);

            Assert.NotNull(pulled);
            Assert.Contains(image, pulled.RepoTags);
            Assert.True(registry.AuthorizedRequests >= 2, $"authorized requests: {registry.AuthorizedRequests}");
            Assert.Contains(progress, p => p.Contains("Downloaded newer image", StringComparison.Ordinal));
        }
        finally
        {
            await DockerEngine.CliAsync("rmi", "--force", image);
        }
    }

    [Fact]
    public async Task PullImage_WrongPassword_ThrowsAndPullsNothing()
    {
        await using var run = await DockerTestRun.StartAsync();
        await using var registry = new FakeRegistry("tester", "s3cret");
        var image = $"{registry.Address}/correctomatic/denied-{Guid.NewGuid():N}:v1";

        var ex = await Assert.ThrowsAnyAsync<DockerApiException>(() =>
            run.Client.PullImageAsync(image, new RegistryCredentials("tester", "wrong", registry.Address)));

        Assert.DoesNotContain("wrong", ex.Message, StringComparison.Ordinal);
        Assert.Null(await run.Client.InspectImageAsync(image));
        Assert.Equal(0, registry.AuthorizedRequests);
    }

    /// <summary>Progress&lt;T&gt; posts to the thread pool; the test wants every report in before it looks.</summary>
    private sealed class SyncProgress(List<string> reports) : IProgress<string>
    {
        public void Report(string value)
        {
            lock (reports)
            {
                reports.Add(value);
            }
        }
    }
}
