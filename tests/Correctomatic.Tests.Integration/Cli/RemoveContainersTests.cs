using Correctomatic.Shared.Contracts;
using Correctomatic.Tests.Integration.Infrastructure;

namespace Correctomatic.Tests.Integration.Cli;

/// <summary><c>remove-containers</c> against the real engine: only containers labelled ours for this prefix go (issue #8).</summary>
public sealed class RemoveContainersTests
{
    [Fact]
    public async Task RemoveContainers_SparesContainersWithoutOurLabel_AndDryRunRemovesNothing()
    {
        await DockerEngine.RequireAsync();
        var prefix = "clitest-" + Guid.NewGuid().ToString("N")[..8] + ":";
        var run = "correctomatic.test-run=" + Guid.NewGuid().ToString("N");
        var ours = (await DockerEngine.CliAsync("create", "--label", run, "--label", ContainerLabels.Managed + "=" + prefix,
            "--name", "correctomatic-lookalike-" + Guid.NewGuid().ToString("N")[..8], DockerEngine.BusyboxImage, "true")).Stdout.Trim();
        var notOurs = (await DockerEngine.CliAsync("create", "--label", run,
            "--name", "correctomatic-" + Guid.NewGuid().ToString("N")[..8], DockerEngine.BusyboxImage, "true")).Stdout.Trim();
        var otherPrefix = (await DockerEngine.CliAsync("create", "--label", run, "--label", ContainerLabels.Managed + "=other:",
            DockerEngine.BusyboxImage, "true")).Stdout.Trim();
        var settings = new Dictionary<string, string> { ["QUEUE_PREFIX"] = prefix, ["DOCKER_HOST"] = DockerEngine.Host };
        try
        {
            var dry = await CliProcess.RunAsync(settings, null, "remove-containers", "--dry-run");
            var afterDry = await ExistingAsync(ours, notOurs, otherPrefix);
            var real = await CliProcess.RunAsync(settings, null, "remove-containers");
            var afterReal = await ExistingAsync(ours, notOurs, otherPrefix);

            Assert.True(dry.ExitCode == 0, dry.Describe());
            Assert.Contains("1 container(s) would be removed", dry.Stdout, StringComparison.Ordinal);
            Assert.Equal([true, true, true], afterDry);
            Assert.True(real.ExitCode == 0, real.Describe());
            Assert.Equal([false, true, true], afterReal);
        }
        finally
        {
            await DockerEngine.CliAsync("rm", "-f", "-v", ours, notOurs, otherPrefix);
        }
    }

    [Fact]
    public async Task RemoveContainers_OlderThan_SparesYoungContainers()
    {
        await DockerEngine.RequireAsync();
        var prefix = "clitest-" + Guid.NewGuid().ToString("N")[..8] + ":";
        var id = (await DockerEngine.CliAsync("create", "--label", ContainerLabels.Managed + "=" + prefix, DockerEngine.BusyboxImage, "true")).Stdout.Trim();
        try
        {
            var run = await CliProcess.RunAsync(new Dictionary<string, string> { ["QUEUE_PREFIX"] = prefix }, null, "remove-containers", "--older-than", "1h");

            Assert.True(run.ExitCode == 0, run.Describe());
            Assert.Contains("0 container(s) removed", run.Stdout, StringComparison.Ordinal);
            var exists = await ExistingAsync(id);
            Assert.Equal([true], exists);
        }
        finally
        {
            await DockerEngine.CliAsync("rm", "-f", "-v", id);
        }
    }

    private static async Task<bool[]> ExistingAsync(params string[] ids)
    {
        var result = new bool[ids.Length];
        for (var i = 0; i < ids.Length; i++)
        {
            result[i] = (await DockerEngine.CliAsync("inspect", ids[i])).ExitCode == 0;
        }

        return result;
    }
}
