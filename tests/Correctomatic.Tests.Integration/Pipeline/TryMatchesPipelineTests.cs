using Correctomatic.Cli.Operations;
using Correctomatic.Completer;
using Correctomatic.Shared.Contracts;
using Correctomatic.Starter;
using Correctomatic.Tests.Integration.Images;
using Correctomatic.Tests.Integration.Infrastructure;

namespace Correctomatic.Tests.Integration.Pipeline;

/// <summary>
/// The CLI's <c>try</c> (GraderTrial, issue #8) is the grader author's inner loop: it must give what the pipeline gives
/// for the same image, file and params (issue #9) — status, grade and comments.
/// </summary>
public sealed class TryMatchesPipelineTests(PipelineFixture fixture) : IClassFixture<PipelineFixture>
{
    private PipelineHarness Pipeline => fixture.Harness;

    public static TheoryData<string, string, string[], double?, long?> Cases => new()
    {
        { DockerEngine.ShellGraderImage, "echo hello\n", ["EXPECTED=hello"], null, null },
        { DockerEngine.ShellGraderImage, "echo bye\n", ["EXPECTED=hello"], null, null },
        { DockerEngine.ShellGraderImage, "exit 4\n", ["EXPECTED=hello"], null, null },
        { DockerEngine.ShellGraderImage, "while true; do :; done\n", ["EXPECTED=hello"], 2, null },
        { GraderSandbox.IoSample, "import sys\nprint(sum(int(a) for a in sys.argv[1:2]))\n", ["CASES=test"], null, null },
        { GraderSandbox.UnittestSample, "def add_all(numbers):\n    return 0\n\ndef mean(numbers):\n    return 0\n", [], null, null },
        { GraderSandbox.NodeSample, "function (\n", [], null, null },
        // The grader keeps the submission's output in a variable: the kernel kills it (exit 137, out_of_memory).
        { DockerEngine.ShellGraderImage, "head -c 400000000 /dev/zero | tr '\\0' a\n", ["EXPECTED=hello"], null, 64 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Try_SameImageFileAndParams_SameStatusGradeAndCommentsAsThePipeline(string image, string submission, string[] parameters,
        double? timeoutSeconds, long? memoryMb)
    {
        var job = Pipeline.Job(image, submission, parameters) with
        {
            Limits = timeoutSeconds is null && memoryMb is null ? null : new JobLimits { TimeoutSeconds = timeoutSeconds, MemoryMb = memoryMb },
        };
        // The trial's containers get a prefix of their own, so the harness's completer never watches them; try removes its own.
        var tryPrefix = Pipeline.Prefix + "try:";
        var overrides = new Dictionary<string, string> { ["QUEUE_PREFIX"] = tryPrefix };
        var trial = new GraderTrial(Pipeline.ReadSettings(StarterSettings.Read, overrides), Pipeline.ReadSettings(CompleterSettings.Read, overrides),
            Pipeline.Docker, TimeProvider.System);

        var tried = trial.RunAsync(job);
        var piped = Pipeline.RunAsync(job);
        var viaTry = await tried;
        var viaPipeline = (await piped).Result;

        Assert.Equal(viaPipeline.Status, viaTry.Status);
        Assert.Equal(viaPipeline.Success, viaTry.Success);
        Assert.Equal(viaPipeline.Grade, viaTry.Grade);
        Assert.Equal(viaPipeline.MaxGrade, viaTry.MaxGrade);
        Assert.Equal(viaPipeline.Comments, viaTry.Comments);
        if (viaPipeline.Status != JobStatus.Timeout)
        {
            // The grader's own words (grader_failed) or ours (out_of_memory names the limit): the same both ways. A
            // timeout's error names the time the grader actually had, measured on each run.
            Assert.Equal(viaPipeline.Error, viaTry.Error);
        }

        Assert.Empty(await Pipeline.Docker.ListContainersAsync([ContainerLabels.ManagedFilter(tryPrefix)]));
    }
}
