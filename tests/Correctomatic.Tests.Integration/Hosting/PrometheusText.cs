using System.Globalization;
using System.Text.RegularExpressions;

namespace Correctomatic.Tests.Integration.Hosting;

/// <summary>One sample line of the Prometheus text format: <c>name{label="value",…} 3</c>.</summary>
public sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

/// <summary>Reads the samples of a /metrics answer (comments skipped), for asserting on counts.</summary>
public static partial class PrometheusText
{
    public static IReadOnlyList<PrometheusSample> Parse(string text) =>
        text.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0 && l[0] != '#').Select(ParseLine).ToList();

    /// <summary>The value of the sample named <paramref name="name"/> carrying every given label; 0 when there is none.</summary>
    public static double Value(this IReadOnlyList<PrometheusSample> samples, string name, params (string Key, string Value)[] labels) =>
        samples.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Key, out var v) && v == l.Value)).Sum(s => s.Value);

    private static PrometheusSample ParseLine(string line)
    {
        var match = LineRegex().Match(line);
        if (!match.Success)
        {
            throw new FormatException("not a Prometheus sample line: " + line);
        }

        var labels = LabelRegex().Matches(match.Groups["labels"].Value)
            .ToDictionary(m => m.Groups["key"].Value, m => Regex.Unescape(m.Groups["value"].Value), StringComparer.Ordinal);
        return new PrometheusSample(match.Groups["name"].Value, labels, double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture));
    }

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})? (?<value>\S+)( \d+)?$""")]
    private static partial Regex LineRegex();

    [GeneratedRegex(@"(?<key>[a-zA-Z_][a-zA-Z0-9_]*)=""(?<value>(?:[^""\\]|\\.)*)""")]
    private static partial Regex LabelRegex();
}
