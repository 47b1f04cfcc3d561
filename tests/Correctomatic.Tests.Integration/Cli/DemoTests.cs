using Correctomatic.Tests.Integration.Infrastructure;

namespace Correctomatic.Tests.Integration.Cli;

/// <summary>
/// The README's first command, end to end (issue #8): utils/demo-run.sh (the core of utils/demo.sh, after setup and
/// build) against a private redis-server and the real engine — keys, receiver, the three services as processes, four
/// jobs, four verified callbacks, and nothing left running.
/// </summary>
public sealed class DemoTests
{
    [Fact]
    public async Task DemoRun_FourJobs_FourVerifiedCallbacksWithTheExpectedStatuses()
    {
        await DockerEngine.RequireAsync();
        await using var redis = await RedisServer.StartAsync();
        var root = RepositoryRoot();

        var run = await ProcessRunner.RunAsync("bash", [Path.Combine(root, "utils", "demo-run.sh")], timeout: TimeSpan.FromMinutes(4),
            environment: new Dictionary<string, string> { ["REDIS_URL"] = redis.UnixUrl, ["DOCKER_HOST"] = DockerEngine.Host, ["DEMO_TIMEOUT"] = "150" });

        Assert.True(run.ExitCode == 0, run.Describe());
        Assert.Contains("demo: passing -> graded, as expected", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("demo: failing -> graded, as expected", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("demo: crashing -> grader_failed, as expected", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("demo: looping -> timeout, as expected", run.Stdout, StringComparison.Ordinal);
        Assert.Equal(4, System.Text.RegularExpressions.Regex.Count(run.Stdout, @"^demo: callback \d+: \{", System.Text.RegularExpressions.RegexOptions.Multiline));

        // It stopped what it started: no keys left in its Redis, no container of a demo prefix on the engine.
        Assert.Equal("0", (await redis.CliAsync("DBSIZE")).Stdout.Trim());
        var containers = await DockerEngine.CliAsync("ps", "-a", "--filter", "label=correctomatic.managed", "--format", "{{.Label \"correctomatic.managed\"}}");
        Assert.DoesNotContain(containers.Stdout.Split('\n'), p => p.StartsWith(DemoPrefix(run.Stdout), StringComparison.Ordinal) && p.Length > 0);
    }

    private static string DemoPrefix(string stdout)
    {
        const string marker = "QUEUE_PREFIX=";
        var start = stdout.IndexOf(marker, StringComparison.Ordinal) + marker.Length;
        return stdout[start..stdout.IndexOf(')', start)];
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Correctomatic.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("the repository root (Correctomatic.sln) is not above " + AppContext.BaseDirectory);
    }
}
