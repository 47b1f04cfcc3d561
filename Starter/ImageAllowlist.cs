using System.Text.RegularExpressions;

namespace Correctomatic.Starter;

/// <summary>
/// Which images a job may run (ALLOWED_IMAGES, issue #5): glob patterns where <c>*</c> matches any run of characters
/// except '/', <c>**</c> any run including '/', <c>?</c> one character. A pattern without a tag also matches the name
/// with any tag or digest ("correctomatic/*" allows "correctomatic/grader-shell:latest"). The lone pattern <c>*</c>
/// allows every image, and the service warns at start when it is set.
/// </summary>
public sealed class ImageAllowlist
{
    private static readonly Regex s_validPattern = new("^[A-Za-z0-9._/:@*?-]+$", RegexOptions.CultureInvariant);
    private readonly Regex[] _patterns;

    public ImageAllowlist(IReadOnlyList<string> patterns)
    {
        Patterns = patterns;
        AllowsAll = patterns.Contains("*");
        _patterns = [.. patterns.Select(ToRegex)];
    }

    public IReadOnlyList<string> Patterns { get; }

    /// <summary>True when the explicit pattern <c>*</c> is configured: every image is allowed.</summary>
    public bool AllowsAll { get; }

    public static bool IsValidPattern(string pattern) => s_validPattern.IsMatch(pattern);

    public bool IsAllowed(string image)
    {
        if (AllowsAll)
        {
            return true;
        }

        if (!s_validPattern.IsMatch(image) || image.Contains('*', StringComparison.Ordinal) || image.Contains('?', StringComparison.Ordinal))
        {
            return false;
        }

        return _patterns.Any(p => p.IsMatch(image));
    }

    private static Regex ToRegex(string pattern)
    {
        var body = Regex.Escape(pattern)
            .Replace(@"\*\*", "\u0001", StringComparison.Ordinal)
            .Replace(@"\*", "[^/]*", StringComparison.Ordinal)
            .Replace("\u0001", ".*", StringComparison.Ordinal)
            .Replace(@"\?", "[^/]", StringComparison.Ordinal);

        // "name" with no tag or digest of its own also matches "name:tag" and "name@sha256:...".
        var lastSegment = pattern[(pattern.LastIndexOf('/') + 1)..];
        var hasTag = lastSegment.Contains(':', StringComparison.Ordinal) || pattern.Contains('@', StringComparison.Ordinal);
        var suffix = hasTag ? "" : "(?:[:@][^/]+)?";
        return new Regex("^" + body + suffix + "$", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, TimeSpan.FromSeconds(1));
    }
}
