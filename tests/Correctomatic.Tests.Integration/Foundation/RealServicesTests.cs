using Correctomatic.Tests.Integration.Infrastructure;

namespace Correctomatic.Tests.Integration.Foundation;

/// <summary>The test run reaches the real redis-server and the real Docker engine (issue #2).</summary>
public sealed class RealServicesTests
{
    [Fact]
    public async Task RedisStream_WrittenAndRead_RoundTripsTheDataField()
    {
        await using var redis = await RedisServer.StartAsync();

        var add = await redis.CliAsync("XADD", "correctomatic:pending", "*", "data", "{\"image\":\"x\"}");
        var range = await redis.CliAsync("XRANGE", "correctomatic:pending", "-", "+");

        Assert.Equal(0, add.ExitCode);
        Assert.Matches(@"^\d+-\d+\s*$", add.Stdout);
        Assert.Contains("{\"image\":\"x\"}", range.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Container_FromLocallyBuiltImage_PrintsItsOutput()
    {
        await DockerEngine.RequireAsync();

        var run = await DockerEngine.CliAsync("run", "--rm", "--network", "none", "--label", "correctomatic.test=foundation",
            DockerEngine.BusyboxImage, "sh", "-c", "echo hello from $(id -un)");

        Assert.True(run.ExitCode == 0, run.Describe());
        Assert.Equal("hello from grader\n", run.Stdout);
    }
}
