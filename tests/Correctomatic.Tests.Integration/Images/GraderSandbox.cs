using System.Text.Json;
using Correctomatic.Shared.Schemas;
using Correctomatic.Tests.Integration.Infrastructure;

namespace Correctomatic.Tests.Integration.Images;

/// <summary>What a grader container did: its exit code, output, and the response parsed from stdout.</summary>
public sealed record GraderRun(int ExitCode, string Stdout, string Stderr)
{
    public JsonElement Response => JsonDocument.Parse(Stdout).RootElement;

    public bool Success => Response.GetProperty("success").GetBoolean();

    public double Grade => Response.GetProperty("grade").GetDouble();

    public string[] Comments => [.. Response.GetProperty("comments").EnumerateArray().Select(c => c.GetString() ?? "")];

    public JsonElement[] Tests => [.. Response.GetProperty("tests").EnumerateArray()];

    public override string ToString() => $"exit {ExitCode}; stdout: {Stdout}; stderr: {Stderr}";
}

/// <summary>
/// Runs a grader image the way the Starter will (issue #9): no network, read-only root filesystem, an anonymous
/// volume at /tmp into which the submission is copied as /tmp/exercise, no capabilities, memory and pids limits.
/// Every container carries this run's label and is removed afterwards, whatever happened.
/// </summary>
public static class GraderSandbox
{
    /// <summary>Unique to this test run: other helpers share the engine, so we only ever remove our own containers.</summary>
    public static readonly string RunLabel = $"correctomatic.test=images-{Guid.NewGuid():N}";

    /// <summary>The exit code <see cref="RunAsync"/> reports for a grader that ran out of time.</summary>
    public const int TimedOut = -1;

    public const string IoSample = "correctomatic/assignment-io-python-sample:latest";
    public const string UnittestSample = "correctomatic/assignment-python-unittest-sample:latest";
    public const string NodeSample = "correctomatic/assignment-node-test-sample:latest";

    public static Task<GraderRun> RunAsync(string image, string submission, params string[] parameters) =>
        RunUnderAsync(null, image, submission, parameters);

    /// <summary>
    /// As <see cref="RunAsync"/>, under the OCI runtime named (null: the engine's default). An image labelled
    /// correctomatic.sandbox=spawner starts as the Starter starts it (Starter/ContainerSpecFactory.cs): as root with
    /// CAP_SETUID and CAP_SETGID only, so that its spawner can give the submission a uid of its own (issue #13).
    /// </summary>
    public static Task<GraderRun> RunUnderAsync(string? runtime, string image, string submission, params string[] parameters) =>
        RunCoreAsync(runtime, image, submission, parameters, honourSandboxLabel: true);

    /// <summary>As <see cref="RunUnderAsync"/>, but started the old way whatever the label says: uid 1000, no capability.</summary>
    public static Task<GraderRun> RunWithoutSpawnerAsync(string? runtime, string image, string submission, params string[] parameters) =>
        RunCoreAsync(runtime, image, submission, parameters, honourSandboxLabel: false);

    private static async Task<GraderRun> RunCoreAsync(string? runtime, string image, string submission, string[] parameters, bool honourSandboxLabel)
    {
        await DockerEngine.RequireAsync();
        var inspect = await DockerEngine.CliAsync("image", "inspect", "-f", "{{ index .Config.Labels \"correctomatic.sandbox\" }}", image);
        Assert.True(inspect.ExitCode == 0, $"image {image} is missing: run 'sudo ./utils/build-images.sh' ({inspect.Stderr.Trim()})");

        var create = new List<string>
        {
            "create", "--network", "none", "--read-only", "--mount", "type=volume,target=/tmp", "--cap-drop", "ALL",
            "--security-opt", "no-new-privileges", "--memory", "256m", "--pids-limit", "128", "--label", RunLabel,
        };
        if (honourSandboxLabel && inspect.Stdout.Trim() == "spawner")
        {
            create.AddRange(["--user", "0:0", "--cap-add", "SETUID", "--cap-add", "SETGID"]);
        }

        if (runtime is not null)
        {
            create.AddRange(["--runtime", runtime]);
        }

        if (runtime == "runsc")
        {
            // gVisor's ptrace platform runs its own host threads and stub processes inside the container's pids cgroup:
            // at 128 its sentry panics ("error initializing first thread: resource temporarily unavailable", exit 2).
            // The sandbox issue (#14) owns the pids limit under runsc; here it must leave gVisor room.
            create[create.IndexOf("128")] = "512";
        }

        foreach (var parameter in parameters)
        {
            create.Add("-e");
            create.Add(parameter);
        }

        create.Add(image);
        var created = await DockerEngine.CliAsync([.. create]);
        Assert.True(created.ExitCode == 0, created.Describe());
        var container = created.Stdout.Trim();
        var file = Path.Combine(Path.GetTempPath(), $"exercise-{Guid.NewGuid():N}");
        try
        {
            await File.WriteAllTextAsync(file, submission);
            var copy = await DockerEngine.CliAsync("cp", file, $"{container}:/tmp/exercise");
            Assert.True(copy.ExitCode == 0, copy.Describe());
            ProcessResult start;
            try
            {
                // A grader the submission stopped never exits: 40 s stands for the job's time limit.
                start = await ProcessRunner.RunAsync(ProcessRunner.Require("docker"), ["start", "-a", container], timeout: TimeSpan.FromSeconds(40),
                    environment: new Dictionary<string, string> { ["DOCKER_HOST"] = DockerEngine.Host });
            }
            catch (TimeoutException)
            {
                return new GraderRun(TimedOut, "", "the grader did not finish within 40 s");
            }

            var wait = await DockerEngine.CliAsync("inspect", "-f", "{{.State.ExitCode}}", container);
            return new GraderRun(int.Parse(wait.Stdout.Trim(), System.Globalization.CultureInfo.InvariantCulture), start.Stdout, start.Stderr);
        }
        finally
        {
            File.Delete(file);
            await DockerEngine.CliAsync("rm", "-v", "-f", container);
        }
    }

    /// <summary>Runs the grader and checks the contract every grader keeps: exit 0 and a response valid per the schema.</summary>
    public static async Task<GraderRun> GradeAsync(string image, string submission, params string[] parameters)
    {
        var run = await RunAsync(image, submission, parameters);
        Assert.True(run.ExitCode == 0, run.ToString());
        var problems = SchemaCatalog.Default.Validate(SchemaName.ContainerResponse, run.Stdout);
        Assert.True(problems.Count == 0, $"{string.Join("; ", problems)} in {run}");
        return run;
    }
}
