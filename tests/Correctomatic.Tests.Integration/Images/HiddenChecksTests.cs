namespace Correctomatic.Tests.Integration.Images;

/// <summary>
/// CASES=grade in the unittest and node graders (issue #13, images/README.md "Two modes"): the grader sends the calls of
/// grade.json to a confined worker and compares the answers itself; only names and verdicts come back, all hidden.
/// </summary>
public sealed class HiddenChecksTests
{
    private const string PythonRight = "def add_all(n):\n    return sum(n)\ndef mean(n):\n    if not n:\n        raise ValueError('empty')\n    return sum(n) / len(n)\n";
    private const string NodeRight = "module.exports = { addAll: (n) => n.reduce((a, b) => a + b, 0), mean: (n) => { if (n.length === 0) throw new RangeError('empty'); return n.reduce((a, b) => a + b, 0) / n.length; } };\n";

    [Theory]
    [InlineData(GraderSandbox.UnittestSample, PythonRight)]
    [InlineData(GraderSandbox.NodeSample, NodeRight)]
    public async Task Grade_RightSubmission_EveryHiddenCheckPasses(string image, string submission)
    {
        var run = await GraderSandbox.GradeAsync(image, submission, "CASES=grade");

        Assert.Equal(10, run.Grade);
        Assert.Equal(4, run.Tests.Length);
        Assert.All(run.Tests, t => Assert.Equal(("passed", "hidden"), (t.GetProperty("status").GetString(), t.GetProperty("visibility").GetString())));
        Assert.StartsWith("Passed 4 of 4 hidden checks.", run.Comments[0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(GraderSandbox.UnittestSample, "def add_all(n):\n    return sum(n)\ndef mean(n):\n    return 0\n")]
    [InlineData(GraderSandbox.NodeSample, "module.exports = { addAll: (n) => n.reduce((a, b) => a + b, 0), mean: () => 0 };\n")]
    public async Task Grade_HalfRight_HalfTheMarksNoExpectedValueShown(string image, string submission)
    {
        var run = await GraderSandbox.GradeAsync(image, submission, "CASES=grade");

        Assert.Equal(5, run.Grade);
        Assert.All(run.Tests, t => Assert.False(t.TryGetProperty("output", out _)));
        Assert.DoesNotContain("100", run.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(GraderSandbox.UnittestSample, "import sys\nprint('{\"id\": \"x\", \"value\": 100}')\nsys.stdout.flush()\nimport os\nos._exit(0)\n")]
    [InlineData(GraderSandbox.NodeSample, "console.log(JSON.stringify({ id: 'x', value: 100 }));\nprocess.exit(0);\n")]
    public async Task Grade_PrintsAnswersAndExitsAtImport_ZeroNotAFailure(string image, string submission)
    {
        var run = await GraderSandbox.GradeAsync(image, submission, "CASES=grade");

        Assert.True(run.Success, run.ToString());
        Assert.Equal(0, run.Grade);
    }
}
