using Correctomatic.Shared.Contracts;
using Correctomatic.Tests.Integration.Images;

namespace Correctomatic.Tests.Integration.Pipeline;

/// <summary>
/// Issue #13 through the whole pipeline (Starter → container → Completer → Notifier → verified callback), on the
/// engine's default runtime: every attack of <see cref="GraderAttacks"/>, against every grader that runs submissions,
/// gets the grade it honestly earns — status graded, never the forged 10, never invalid_output or grader_failed.
/// The Starter starts our graders as spawners (label correctomatic.sandbox=spawner); gVisor runs in RunscAttackTests.
/// </summary>
public sealed class GraderAttackPipelineTests(PipelineFixture fixture) : IClassFixture<PipelineFixture>
{
    [Theory]
    [MemberData(nameof(GraderAttacks.Names), MemberType = typeof(GraderAttacks))]
    public async Task Attack_ThroughThePipeline_GetsTheHonestGrade(string attackName)
    {
        var attack = GraderAttacks.All.Single(a => a.ToString() == attackName);

        var callback = await fixture.Harness.RunAsync(fixture.Harness.Job(attack.Image, attack.Submission, attack.Params));

        Assert.True(callback.Result.Status == JobStatus.Graded, callback.Body);
        Assert.Equal(attack.HonestGrade, callback.Result.Grade);
        Assert.DoesNotContain("forged", callback.Result.Comments ?? []);
    }
}
