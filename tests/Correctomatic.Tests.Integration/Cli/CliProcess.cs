using Correctomatic.Tests.Integration.Infrastructure;

namespace Correctomatic.Tests.Integration.Cli;

/// <summary>Runs the real <c>correctomatic</c> CLI (built next to the tests) as its own process, with the given settings.</summary>
public static class CliProcess
{
    public static Task<ProcessResult> RunAsync(IReadOnlyDictionary<string, string> environment, string? stdin, params string[] arguments)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "correctomatic.dll");
        var env = new Dictionary<string, string>(environment) { ["CORRECTOMATIC_ENV_FILE"] = "/nonexistent/.env" };
        return ProcessRunner.RunAsync("dotnet", new[] { dll }.Concat(arguments), stdin ?? "", TimeSpan.FromMinutes(2), env);
    }
}
