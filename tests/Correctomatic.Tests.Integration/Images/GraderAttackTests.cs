using Correctomatic.Completer.Outcome;
using Xunit.Abstractions;

namespace Correctomatic.Tests.Integration.Images;

/// <summary>
/// Issue #13 through the sandbox harness, under runc and under gVisor (runsc): every attack of
/// <see cref="GraderAttacks"/> gets the grade it honestly earns — never the forged 10, never invalid_output, never a
/// grader failure caused by the attack.
/// </summary>
public abstract class GraderAttackTests(ITestOutputHelper output, string runtime)
{
    [Theory]
    [MemberData(nameof(GraderAttacks.Names), MemberType = typeof(GraderAttacks))]
    public async Task Attack_GetsTheHonestGrade(string attackName)
    {
        var attack = GraderAttacks.All.Single(a => a.ToString() == attackName);

        var run = await GraderSandbox.RunUnderAsync(runtime, attack.Image, attack.Submission, attack.Params);

        var verdict = Verdict(run);
        output.WriteLine($"ATTACK {attack.Grader} {attack.Name} {runtime}: {verdict}");
        Assert.True(verdict == $"graded {attack.HonestGrade:0.##}", $"{verdict} (honest: {attack.HonestGrade}); {run}");
    }

    /// <summary>What the Completer would make of the run: the response it finds on stdout (ResponseExtractor).</summary>
    public static string Verdict(GraderRun run)
    {
        if (run.ExitCode == GraderSandbox.TimedOut)
        {
            return "timeout";
        }

        if (run.ExitCode != 0)
        {
            return $"grader_failed (exit {run.ExitCode})";
        }

        var found = ResponseExtractor.Extract(run.Stdout);
        if (found.Json is null)
        {
            return $"invalid_output ({found.Problem})";
        }

        using var doc = System.Text.Json.JsonDocument.Parse(found.Json);
        var root = doc.RootElement;
        if (!root.GetProperty("success").GetBoolean())
        {
            return $"failed ({root.GetProperty("error").GetString()})";
        }

        var forged = root.TryGetProperty("comments", out var c) && c.EnumerateArray().Any(x => x.GetString() == "forged");
        return $"graded {root.GetProperty("grade").GetDouble():0.##}" + (forged ? " FORGED" : "");
    }
}
