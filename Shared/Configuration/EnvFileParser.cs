namespace Correctomatic.Shared.Configuration;

/// <summary>
/// Parses a <c>.env</c> file: <c>KEY=VALUE</c> lines, <c>#</c> comments, optional <c>export </c>,
/// values optionally in single quotes (taken literally) or double quotes (with \n, \" and \\ escapes).
/// </summary>
public static class EnvFileParser
{
    public static IReadOnlyDictionary<string, string> Parse(string text)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var lineNumber = 0;
        foreach (var rawLine in text.Split('\n'))
        {
            lineNumber++;
            var line = rawLine.TrimEnd('\r').Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            if (line.StartsWith("export ", StringComparison.Ordinal))
            {
                line = line["export ".Length..].TrimStart();
            }

            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new FormatException($".env line {lineNumber}: expected KEY=VALUE");
            }

            var key = line[..eq].Trim();
            values[key] = ParseValue(line[(eq + 1)..].Trim(), lineNumber);
        }

        return values;
    }

    private static string ParseValue(string value, int lineNumber)
    {
        if (value.Length >= 1 && (value[0] == '"' || value[0] == '\''))
        {
            var quote = value[0];
            var end = value.LastIndexOf(quote);
            if (end == 0)
            {
                throw new FormatException($".env line {lineNumber}: unterminated {quote} quote");
            }

            var inner = value[1..end];
            return quote == '\'' ? inner : inner.Replace("\\n", "\n", StringComparison.Ordinal)
                .Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal);
        }

        // Unquoted: an inline comment starts at " #".
        var hash = value.IndexOf(" #", StringComparison.Ordinal);
        return hash >= 0 ? value[..hash].TrimEnd() : value;
    }
}
