using Correctomatic.Tests.Integration.Infrastructure;

namespace Correctomatic.Tests.Integration.Images;

/// <summary>How utils/build-images.sh configures every grader image (images/README.md, "The contract").</summary>
public sealed class GraderImageTests
{
    [Theory]
    [InlineData(DockerEngine.ShellGraderImage, "shell")]
    [InlineData("correctomatic/grader-io-python:latest", "io-python")]
    [InlineData("correctomatic/grader-python-unittest:latest", "python-unittest")]
    [InlineData("correctomatic/grader-node-test:latest", "node-test")]
    [InlineData(GraderSandbox.IoSample, "io-python")]
    [InlineData(GraderSandbox.NodeSample, "node-test")]
    public async Task Config_EveryGrader_RunsAsGraderInTmpWithItsKindLabel(string image, string kind)
    {
        await DockerEngine.RequireAsync();

        var config = await DockerEngine.CliAsync("image", "inspect", "-f",
            "{{.Config.User}} {{.Config.WorkingDir}} {{index .Config.Labels \"correctomatic.grader\"}}", image);

        Assert.True(config.ExitCode == 0, config.Describe());
        Assert.Equal($"grader /tmp {kind}", config.Stdout.Trim());
    }

    [Theory]
    [InlineData(GraderSandbox.IoSample)]
    [InlineData(GraderSandbox.UnittestSample)]
    [InlineData(GraderSandbox.NodeSample)]
    public async Task Files_AssignmentImage_GraderAndTestsAreRootOwnedAndReadOnly(string image)
    {
        await DockerEngine.RequireAsync();

        // Anything under /grader not owned by root, or writable by anyone, is listed.
        var found = await DockerEngine.CliAsync("run", "--rm", "--network", "none", "--read-only", "--label", GraderSandbox.RunLabel,
            image, "find", "/grader", "(", "!", "-user", "0", "-o", "-perm", "/222", ")", "-print");
        var uid = await DockerEngine.CliAsync("run", "--rm", "--network", "none", "--label", GraderSandbox.RunLabel, image, "id", "-u");

        Assert.True(found.ExitCode == 0, found.Describe());
        Assert.Equal("", found.Stdout);
        Assert.Equal("1000\n", uid.Stdout);
    }
}
