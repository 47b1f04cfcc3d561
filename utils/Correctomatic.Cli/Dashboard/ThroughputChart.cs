using System.Globalization;
using System.Net;
using System.Text;

namespace Correctomatic.Cli.Dashboard;

/// <summary>The throughput chart, drawn as inline SVG by the server (issue #17: no chart library, nothing from a CDN).</summary>
public static class ThroughputChart
{
    private static readonly string[] s_colours = ["#1f77b4", "#2ca02c", "#9467bd", "#d62728"];

    public static string Svg(IReadOnlyList<StageThroughput> stages)
    {
        const int Width = 720, Height = 200, Left = 40, Bottom = 24, Top = 10, Right = 10;
        var max = Math.Max(1, stages.SelectMany(s => s.PerMinute).DefaultIfEmpty(0).Max());
        var plotWidth = Width - Left - Right;
        var plotHeight = Height - Top - Bottom;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg class=\"chart\" role=\"img\" aria-label=\"entries per minute per stage over the last hour\" viewBox=\"0 0 {Width} {Height + 20 * stages.Count}\" xmlns=\"http://www.w3.org/2000/svg\">");
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{Top + plotHeight}\" x2=\"{Width - Right}\" y2=\"{Top + plotHeight}\" stroke=\"#888\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{Top}\" x2=\"{Left}\" y2=\"{Top + plotHeight}\" stroke=\"#888\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 4}\" y=\"{Top + 10}\" text-anchor=\"end\" font-size=\"11\">{max}</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 4}\" y=\"{Top + plotHeight}\" text-anchor=\"end\" font-size=\"11\">0</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left}\" y=\"{Height - 6}\" font-size=\"11\">60 min ago</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width - Right}\" y=\"{Height - 6}\" text-anchor=\"end\" font-size=\"11\">now</text>");
        for (var s = 0; s < stages.Count; s++)
        {
            var stage = stages[s];
            var colour = s_colours[s % s_colours.Length];
            var points = string.Join(' ', stage.PerMinute.Select((count, minute) => string.Create(CultureInfo.InvariantCulture,
                $"{Left + (minute + 0.5) * plotWidth / stage.PerMinute.Count:0.#},{Top + plotHeight - (double)count * plotHeight / max:0.#}")));
            svg.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" points=\"{points}\"/>");
            var legendY = Height + 14 + 20 * s;
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{Left}\" y=\"{legendY - 10}\" width=\"12\" height=\"12\" fill=\"{colour}\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left + 18}\" y=\"{legendY}\" font-size=\"12\">{WebUtility.HtmlEncode(stage.Stage)}: {stage.Total} in the last hour</text>");
        }

        return svg.Append("</svg>").ToString();
    }
}
