using System.CommandLine;

namespace Correctomatic.Cli.Commands;

/// <summary>Options several commands share.</summary>
public static class CliOptions
{
    public static Option<bool> Json() => new("--json") { Description = "Print machine-readable JSON instead of text." };

    public static Option<bool> Yes() => new("--yes", "-y") { Description = "Do not ask for confirmation (for scripts)." };
}
