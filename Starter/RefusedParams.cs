using System.Text.RegularExpressions;

namespace Correctomatic.Starter;

/// <summary>
/// Param names a job may not set, because they belong to the starter or hijack a loader or interpreter inside the
/// grader (issue #14: <c>NODE_OPTIONS=--require /tmp/exercise</c> made the node grader run the submission first and
/// forge a 10 of 10; <c>LD_PRELOAD</c> does the same to any dynamically linked grader). A pattern is a name, or a
/// prefix ending in <c>*</c>. Matched without regard to case: refusing <c>ld_preload</c> costs nothing.
/// </summary>
public sealed partial class RefusedParams
{
    /// <summary>Set by the starter itself.</summary>
    public static readonly IReadOnlyList<string> StarterOwned = ["PATH", "HOME", "HOSTNAME"];

    /// <summary>
    /// Loader and interpreter hooks: glibc/musl (<c>LD_*</c>), node, Python, Perl, Ruby, bash (<c>BASH_ENV</c>) and POSIX
    /// sh (<c>ENV</c>) start-up files, the JVM's and .NET's agent and start-up hooks.
    /// </summary>
    public static readonly IReadOnlyList<string> Hijackers =
    [
        "LD_*", "NODE_OPTIONS", "NODE_PATH", "PYTHON*", "PERL5*", "PERLLIB", "RUBY*", "BASH_ENV", "ENV",
        "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS", "DOTNET_*", "CORECLR_*",
    ];

    private readonly HashSet<string> _names = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _prefixes = [];

    public RefusedParams(IEnumerable<string> extra)
    {
        foreach (var pattern in StarterOwned.Concat(Hijackers).Concat(extra))
        {
            if (pattern.EndsWith('*'))
            {
                _prefixes.Add(pattern[..^1]);
            }
            else
            {
                _names.Add(pattern);
            }
        }
    }

    /// <summary>The built-in list only.</summary>
    public static RefusedParams Default { get; } = new([]);

    /// <summary>REFUSED_PARAMS patterns: an environment name, optionally ending in one <c>*</c>.</summary>
    public static bool IsValidPattern(string pattern) => Pattern().IsMatch(pattern);

    /// <summary>The reason <paramref name="name"/> is refused, or null when a job may set it.</summary>
    public string? WhyRefused(string name)
    {
        if (StarterOwned.Contains(name, StringComparer.OrdinalIgnoreCase))
        {
            return $"{name} is set by the starter and cannot be a param";
        }

        return _names.Contains(name) || _prefixes.Exists(p => name.StartsWith(p, StringComparison.OrdinalIgnoreCase))
            ? $"{name} is refused: it can make the grader's loader or interpreter run other code (see REFUSED_PARAMS)"
            : null;
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*\\*?$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
