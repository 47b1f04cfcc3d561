using System.CommandLine;

namespace Correctomatic.Cli.Commands;

/// <summary>Options several commands share.</summary>
public static class CliOptions
{
    public static Option<bool> Json() => new("--json") { Description = "Print machine-readable JSON instead of text." };

    /// <summary><c>--interval</c> for commands that refresh: a duration such as 500ms, 1s, 2m (the services' format), at least 100ms.</summary>
    public static Option<TimeSpan> Interval() => new("--interval")
    {
        Description = "How often to refresh (e.g. 500ms, 1s).",
        DefaultValueFactory = _ => TimeSpan.FromSeconds(1),
        CustomParser = result =>
        {
            var text = result.Tokens.Single().Value;
            if (Correctomatic.Shared.Configuration.Durations.TryParse(text, out var value) && value >= TimeSpan.FromMilliseconds(100))
            {
                return value;
            }

            result.AddError($"--interval '{text}' is not a duration of at least 100ms (e.g. 500ms, 2s)");
            return default;
        },
    };

    public static Option<bool> Yes() => new("--yes", "-y") { Description = "Do not ask for confirmation (for scripts)." };
}
