using Correctomatic.Shared.Contracts;
using Correctomatic.Starter;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Correctomatic.Tests.Integration.Starter;

/// <summary>
/// The launcher's reuse of a recent image inspect (RecentImages, issue #14), on the real engine, with the launcher's
/// clock held still so that "within a second" is a fact of the test and not of the machine's speed: a container is
/// created from the inspected image's id, so a tag moved meanwhile cannot mix the new image with the old one's user,
/// command or sandbox label; after the reuse window the new image is inspected; and an image removed while its inspect
/// was being reused is looked up again, with the verdict of a missing image.
/// </summary>
public sealed class StarterRecentImageTests(StarterFixture fixture) : IClassFixture<StarterFixture>
{
    [Fact]
    public async Task LaunchAsync_TagMovedThenImageRemovedWithinTheReuseWindow_PinnedToTheInspectedIdThenLookedUpAgain()
    {
        await using var harness = await StarterHarness.CreateAsync(fixture);
        var tag = $"correctomatic/ct-recent-image:{Guid.NewGuid():N}"[..48];
        var clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        var launcher = StarterComposition.CreateLauncher(harness.Settings, harness.Docker, harness.HostId, clock, NullLoggerFactory.Instance);
        var built = new List<string>();
        try
        {
            var first = await BuildAsync(tag, "first", built);
            Assert.Equal(first, await ImageOfAsync(harness, await LaunchAsync(launcher, tag, "a")));

            // The tag moves to another image; the first image keeps its id (no rmi). Still within the window: the container
            // is the first image's, whole, not the second's with the first one's inspect.
            var second = await BuildAsync(tag, "second", built);
            Assert.NotEqual(first, second);
            Assert.Equal(first, await ImageOfAsync(harness, await LaunchAsync(launcher, tag, "b")));

            clock.Advance(RecentImages.MaxAge);
            Assert.Equal(second, await ImageOfAsync(harness, await LaunchAsync(launcher, tag, "c")));

            // The second image goes (its containers first) while its inspect is still being reused: the create finds no
            // such image, the launcher inspects again and answers as for any missing image (pulling is off by default).
            await RemoveContainersAsync(harness);
            var rmi = await DockerEngine.CliAsync("rmi", "-f", second);
            Assert.True(rmi.ExitCode == 0, rmi.Describe());
            var gone = await launcher.LaunchAsync(Job(tag, "d"), CancellationToken.None);
            Assert.False(gone.Started);
            Assert.Contains($"image '{tag}' is not on this Docker host and pulling is off", gone.Error, StringComparison.Ordinal);
        }
        finally
        {
            await RemoveContainersAsync(harness);
            await DockerEngine.CliAsync(["rmi", "-f", .. built]);
        }
    }

    private static async Task<string> BuildAsync(string tag, string mark, List<string> built)
    {
        await DockerEngine.BuildAsync(tag, $"FROM {DockerEngine.BusyboxImage}\nLABEL correctomatic.test.mark={mark}\nCMD [\"sleep\", \"60\"]\n");
        var id = await DockerEngine.CliAsync("image", "inspect", "-f", "{{.Id}}", tag);
        Assert.True(id.ExitCode == 0, id.Describe());
        built.Add(id.Stdout.Trim());
        return id.Stdout.Trim();
    }

    private static async Task<string> LaunchAsync(ContainerLauncher launcher, string tag, string jobId)
    {
        var launched = await launcher.LaunchAsync(Job(tag, jobId), CancellationToken.None);
        Assert.True(launched.Started, launched.Error);
        return launched.ContainerId!;
    }

    private static async Task<string> ImageOfAsync(StarterHarness harness, string containerId)
    {
        var image = await DockerEngine.CliAsync("inspect", "-f", "{{.Image}}", containerId);
        Assert.True(image.ExitCode == 0, image.Describe());
        return image.Stdout.Trim();
    }

    private static async Task RemoveContainersAsync(StarterHarness harness)
    {
        foreach (var container in await harness.Docker.ListContainersAsync([ContainerLabels.ManagedFilter(harness.Prefix)], all: true))
        {
            await harness.Docker.RemoveContainerAsync(container.Id, force: true);
        }
    }

    private static ValidatedJob Job(string image, string jobId) => new()
    {
        JobId = "recent-image-" + jobId,
        Image = image,
        Callback = "http://a.local/cb",
        Env = [],
        Limits = new EffectiveLimits(TimeSpan.FromSeconds(60), 64, 1, 64),
        File = "echo hello\n"u8.ToArray(),
        QueuedAt = DateTimeOffset.UnixEpoch,
    };
}
