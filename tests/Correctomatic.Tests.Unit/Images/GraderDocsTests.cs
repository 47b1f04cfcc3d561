using System.Text.RegularExpressions;
using Correctomatic.Shared.Schemas;

namespace Correctomatic.Tests.Unit.Images;

/// <summary>What images/README.md shows teachers, and the sample assignments, agree with the contract (issue #9).</summary>
public sealed partial class GraderDocsTests
{
    [Fact]
    public void Readme_EveryJsonResponseExample_IsValidPerTheSchema()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "images", "README.md"));

        var examples = JsonResponse().Matches(readme).Select(m => m.Value).ToList();

        Assert.True(examples.Count >= 3, $"expected the README's response examples, found {examples.Count}");
        Assert.All(examples, json => Assert.Empty(SchemaCatalog.Default.Validate(SchemaName.ContainerResponse, json)));
    }

    [Theory]
    [InlineData("test")]
    [InlineData("grade")]
    public void IoSample_InAndOutFiles_HaveOneLinePerCase(string set)
    {
        var folder = Path.Combine(RepositoryRoot(), "images", "assignments", "io-python-sample");

        var inputs = File.ReadAllLines(Path.Combine(folder, $"{set}.in"));
        var outputs = File.ReadAllLines(Path.Combine(folder, $"{set}.out"));

        Assert.NotEmpty(inputs);
        Assert.Equal(inputs.Length, outputs.Length);
    }

    // A whole response on one line: {"success":... } as the README writes them (inside quotes in the shell example).
    [GeneratedRegex("""\{"success":(true|false)[^\n']*\}""")]
    private static partial Regex JsonResponse();

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Correctomatic.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no Correctomatic.sln above {AppContext.BaseDirectory}");
    }
}
