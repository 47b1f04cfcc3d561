using System.Net;
using Correctomatic.Shared.Docker;
using Correctomatic.Tests.Integration.Infrastructure;

namespace Correctomatic.Tests.Integration.Docker;

/// <summary>Clear, typed errors carrying the engine's message (issue #4).</summary>
public sealed class DockerErrorTests
{
    [Fact]
    public async Task CreateContainer_MissingImage_ThrowsNoSuchImageNamingIt()
    {
        await using var run = await DockerTestRun.StartAsync();
        var image = "correctomatic/absent-" + Guid.NewGuid().ToString("N")[..8] + ":latest";

        var ex = await Assert.ThrowsAsync<DockerNoSuchImageException>(() => run.Client.CreateContainerAsync(run.Spec("true", image: image)));

        Assert.Equal(HttpStatusCode.NotFound, ex.StatusCode);
        Assert.Contains(image, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InspectImage_MissingAndPresent_NullAndTheImageUser()
    {
        await using var run = await DockerTestRun.StartAsync();

        var missing = await run.Client.InspectImageAsync("correctomatic/absent-" + Guid.NewGuid().ToString("N")[..8]);
        var present = await run.Client.InspectImageAsync(DockerEngine.BusyboxImage);

        Assert.Null(missing);
        Assert.NotNull(present);
        Assert.Equal("grader", present.User);
        Assert.Contains(DockerEngine.BusyboxImage, present.RepoTags);
    }

    [Fact]
    public async Task ContainerOperations_MissingContainer_ThrowNoSuchContainerExceptRemove()
    {
        await using var run = await DockerTestRun.StartAsync();
        var id = "absent-" + Guid.NewGuid().ToString("N");

        var inspect = await Assert.ThrowsAsync<DockerNoSuchContainerException>(() => run.Client.InspectContainerAsync(id));
        await Assert.ThrowsAsync<DockerNoSuchContainerException>(() => run.Client.StartContainerAsync(id));
        await Assert.ThrowsAsync<DockerNoSuchContainerException>(() => run.Client.KillContainerAsync(id));
        await Assert.ThrowsAsync<DockerNoSuchContainerException>(() => run.Client.GetLogsAsync(id, 100));
        await Assert.ThrowsAsync<DockerNoSuchContainerException>(() => run.Client.PutFileAsync(id, "/tmp/exercise", "x"u8.ToArray()));
        await run.Client.RemoveContainerAsync(id);

        Assert.Contains(id, inspect.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateContainer_NameInUse_ThrowsConflict()
    {
        await using var run = await DockerTestRun.StartAsync();
        var spec = run.Spec("true") with { Name = "ct-docker-" + Guid.NewGuid().ToString("N")[..12] };
        await run.Client.CreateContainerAsync(spec);

        var ex = await Assert.ThrowsAsync<DockerConflictException>(() => run.Client.CreateContainerAsync(spec));

        Assert.Equal(HttpStatusCode.Conflict, ex.StatusCode);
        Assert.Contains(spec.Name!, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KillContainer_NotRunning_ThrowsConflict()
    {
        await using var run = await DockerTestRun.StartAsync();
        var id = await run.Client.CreateContainerAsync(run.Spec("true"));

        var ex = await Assert.ThrowsAsync<DockerConflictException>(() => run.Client.KillContainerAsync(id));

        Assert.Contains("not running", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PullImage_RegistryNotAnswering_ThrowsWithTheEngineMessageNamingIt()
    {
        await using var run = await DockerTestRun.StartAsync();
        var progress = new List<string>();

        // Nothing listens on port 1: the engine answers at once with an error instead of a progress stream.
        var ex = await Assert.ThrowsAsync<DockerApiException>(() => run.Client.PullImageAsync("127.0.0.1:1/correctomatic/absent:v1",
            new RegistryCredentials("user", "secret", "127.0.0.1:1"), new Progress<string>(progress.Add)));

        Assert.Contains("127.0.0.1:1", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ping_NoEngineAtTheSocket_ThrowsUnreachableNamingTheEndpoint()
    {
        var socket = $"unix:///tmp/ct-no-engine-{Guid.NewGuid():N}.sock";
        using var client = DockerClient.Create(socket);

        var ex = await Assert.ThrowsAsync<DockerUnreachableException>(() => client.PingAsync());
        var create = await Assert.ThrowsAsync<DockerUnreachableException>(() => client.CreateContainerAsync(new ContainerSpec { Image = "x" }));

        Assert.Contains(socket, ex.Message, StringComparison.Ordinal);
        Assert.Contains(socket, create.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VersionAndInfo_RealEngine_NegotiatedAndMatchTheCli()
    {
        await using var run = await DockerTestRun.StartAsync();

        await run.Client.PingAsync();
        var version = await run.Client.GetVersionAsync();
        var info = await run.Client.GetInfoAsync();
        var cliId = await DockerEngine.CliAsync("info", "--format", "{{.ID}}");
        await run.Client.ListContainersAsync([run.RunLabel]);

        Assert.Equal(cliId.Stdout.Trim(), info.Id);
        Assert.Equal(version.Version, info.ServerVersion);
        // Negotiated as the CLI does: the lower of the engine's version and the library's (1.54); 1.41 on Debian 12's engine.
        Assert.Equal(Version.Parse(version.ApiVersion) < new Version(1, 54) ? version.ApiVersion : "1.54", run.Client.ApiVersion);
    }
}
