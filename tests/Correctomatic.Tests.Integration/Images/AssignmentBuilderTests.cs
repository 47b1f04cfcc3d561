using Correctomatic.Tests.Integration.Infrastructure;

namespace Correctomatic.Tests.Integration.Images;

/// <summary>images/build-assignment.sh: a teacher's folder baked into a grader image, as the README tells teachers to do.</summary>
public sealed class AssignmentBuilderTests
{
    private static string Script => Path.Combine(Repository.Root, "images", "build-assignment.sh");

    [Fact]
    public async Task Build_IoFolder_ImageGradesAgainstItsCases()
    {
        var folder = Directory.CreateTempSubdirectory("assignment-");
        var tag = $"correctomatic-test/assignment-{Guid.NewGuid():N}:latest";
        try
        {
            // Double the argument: 2 test cases, 3 grade cases.
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, "test.in"), "1\n5\n");
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, "test.out"), "2\n10\n");
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, "grade.in"), "0\n-4\n21\n");
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, "grade.out"), "0\n-8\n42\n");

            var build = await ProcessRunner.RunAsync("bash", [Script, "correctomatic/grader-io-python:latest", folder.FullName, tag]);
            var again = await ProcessRunner.RunAsync("bash", [Script, "correctomatic/grader-io-python:latest", folder.FullName, tag]);
            var run = await GraderSandbox.GradeAsync(tag, "import sys\nprint(int(sys.argv[1]) * 2)\n", "CASES=grade", "MAX_GRADE=3");

            Assert.True(build.ExitCode == 0, build.Describe());
            Assert.Equal($"built {tag}\n", build.Stdout);
            Assert.Equal("", again.Stdout); // cached: nothing rebuilt
            Assert.Equal(3, run.Grade);
            Assert.Equal(3, run.Tests.Length);
        }
        finally
        {
            folder.Delete(recursive: true);
            await DockerEngine.CliAsync("rmi", "-f", tag);
        }
    }

    [Fact]
    public async Task Build_MismatchedCaseFiles_RefusedWithTheReason()
    {
        var folder = Directory.CreateTempSubdirectory("assignment-");
        try
        {
            foreach (var (name, text) in new[] { ("test.in", "1\n2\n"), ("test.out", "2\n"), ("grade.in", "1\n"), ("grade.out", "2\n") })
            {
                await File.WriteAllTextAsync(Path.Combine(folder.FullName, name), text);
            }

            var build = await ProcessRunner.RunAsync("bash", [Script, "correctomatic/grader-io-python:latest", folder.FullName,
                $"correctomatic-test/never-{Guid.NewGuid():N}:latest"]);

            Assert.Equal(1, build.ExitCode);
            Assert.Contains("test.in has 2 lines but test.out has 1", build.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
