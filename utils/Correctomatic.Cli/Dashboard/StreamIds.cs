using System.Globalization;

namespace Correctomatic.Cli.Dashboard;

/// <summary>Stream entry ids (<c>ms-seq</c>): their time, and their order.</summary>
public static class StreamIds
{
    public static DateTimeOffset? Time(string? id) =>
        id is not null && long.TryParse(id.Split('-')[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;

    public static bool IsId(string value)
    {
        var parts = value.Split('-');
        return parts.Length == 2 && parts.All(p => p.Length > 0 && p.All(char.IsAsciiDigit));
    }

    public static int Compare(string a, string b)
    {
        static (ulong, ulong) Parse(string id)
        {
            var parts = id.Split('-');
            return (ulong.Parse(parts[0], CultureInfo.InvariantCulture), parts.Length > 1 ? ulong.Parse(parts[1], CultureInfo.InvariantCulture) : 0);
        }

        return Parse(a).CompareTo(Parse(b));
    }
}
