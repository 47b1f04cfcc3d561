using System.Text.Json;
using Correctomatic.Shared.Contracts;
using Correctomatic.Tests.Integration.Infrastructure;

namespace Correctomatic.Tests.Integration.Starter;

/// <summary>
/// Which user a grader runs as (issue #5: non-root where the image allows): images derived from grader-shell with another
/// USER, committed for this test run and removed after it.
/// </summary>
public sealed class StarterUserTests(StarterFixture fixture) : IClassFixture<StarterFixture>
{
    private static async Task<string> DeriveImageAsync(string runId, string user)
    {
        var tag = $"correctomatic/starter-test-user:{runId}-{user.Replace(':', '-')}";
        var create = await DockerEngine.CliAsync("create", "--label", $"correctomatic.test={runId}", DockerEngine.ShellGraderImage);
        Assert.True(create.ExitCode == 0, create.Describe());
        var container = create.Stdout.Trim();
        try
        {
            // A plain image (empty correctomatic.sandbox label) started with its USER; the spawner case is StarterPipelineTests'.
            // It sleeps instead of grading: /grader is the grader's group's only (issue #13), and nobody is not in it.
            var commit = await DockerEngine.CliAsync("commit", "--change", $"USER {user}", "--change", "LABEL correctomatic.sandbox=",
                "--change", "CMD [\"/bin/sleep\", \"30\"]", container, tag);
            Assert.True(commit.ExitCode == 0, commit.Describe());
        }
        finally
        {
            await DockerEngine.CliAsync("rm", "-f", container);
        }

        return tag;
    }

    [Theory]
    [InlineData("root", "65534 65534 65534")]
    [InlineData("1000:1000", "1000 1000 1000")]
    public async Task Worker_ImageUser_RunsNonRootAndOwnsExercise(string imageUser, string expected)
    {
        var image = await DeriveImageAsync(fixture.RunId, imageUser);
        try
        {
            await using var harness = await StarterHarness.CreateAsync(fixture);
            await harness.StartWorkerAsync();

            await harness.PushAsync(JsonSerializer.Serialize(new { image, callback = "http://a.local/cb", file_content = "c2xlZXAgMzA=" }));

            var running = Assert.Single(await harness.WaitForAsync(harness.Streams.Running));
            var id = ContractJson.Deserialize<RunningJob>(running.Field(StreamFields.Data)!).ContainerId;
            var uidAndOwner = await StarterHarness.ExecAsync(id, "sh", "-c", "echo $(id -u) $(stat -c '%u %g' /tmp/exercise)");
            Assert.Equal(expected, uidAndOwner);
        }
        finally
        {
            await DockerEngine.CliAsync("rmi", "-f", image);
        }
    }
}
