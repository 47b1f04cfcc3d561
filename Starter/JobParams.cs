using System.Text.RegularExpressions;

namespace Correctomatic.Starter;

/// <summary>
/// Job params become the container's environment (issue #2: <c>"KEY=VALUE"</c> strings, as correction-API sends them).
/// The key must be a valid environment name; the value may hold anything but a NUL byte.
/// </summary>
public static partial class JobParams
{
    /// <summary>The environment list, or an error naming the first bad param.</summary>
    /// <param name="refused">Names a job may not set; <see cref="RefusedParams.Default"/> when null.</param>
    public static (IReadOnlyList<string> Env, string? Error) Parse(IReadOnlyList<string>? parameters, RefusedParams? refused = null)
    {
        refused ??= RefusedParams.Default;
        if (parameters is null || parameters.Count == 0)
        {
            return ([], null);
        }

        var env = new List<string>(parameters.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < parameters.Count; i++)
        {
            var entry = parameters[i];
            var equals = entry?.IndexOf('=', StringComparison.Ordinal) ?? -1;
            if (entry is null || equals <= 0)
            {
                return ([], $"params[{i}] is not KEY=VALUE");
            }

            var key = entry[..equals];
            if (!EnvName().IsMatch(key))
            {
                return ([], $"params[{i}]: '{key}' is not a valid environment variable name (letters, digits, _; not starting with a digit)");
            }

            if (refused.WhyRefused(key) is { } why)
            {
                return ([], $"params[{i}]: {why}");
            }

            if (entry.Contains('\0', StringComparison.Ordinal))
            {
                return ([], $"params[{i}]: the value of {key} contains a NUL byte");
            }

            if (!seen.Add(key))
            {
                return ([], $"params[{i}]: {key} is given twice");
            }

            env.Add(entry);
        }

        return (env, null);
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex EnvName();
}
