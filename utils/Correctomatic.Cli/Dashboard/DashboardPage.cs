using System.Globalization;
using System.Net;
using System.Text;
using Correctomatic.Cli.Operations;
using Correctomatic.Shared.Contracts;
using Microsoft.AspNetCore.Antiforgery;

namespace Correctomatic.Cli.Dashboard;

/// <summary>The dashboard's HTML, rendered on the server; every value from Redis or Docker is encoded (it is untrusted).</summary>
public static class DashboardPage
{
    public const string Css = """
        body{font-family:system-ui,sans-serif;margin:1.5rem;color:#222;background:#fafafa}
        h1{font-size:1.4rem;margin:0 0 .2rem} h2{font-size:1.1rem;margin:1.4rem 0 .4rem}
        table{border-collapse:collapse;background:#fff} th,td{border:1px solid #ccc;padding:.25rem .6rem;text-align:left;vertical-align:top}
        th{background:#eee} td.n{text-align:right;font-variant-numeric:tabular-nums}
        .cards{display:flex;gap:.8rem;flex-wrap:wrap} .card{background:#fff;border:1px solid #ccc;padding:.5rem .9rem;min-width:7rem}
        .card b{display:block;font-size:1.5rem} .muted{color:#666;font-size:.9rem} .ro{background:#fff3cd;padding:.3rem .6rem;border:1px solid #e0c36a}
        .chart{max-width:760px;background:#fff;border:1px solid #ccc} pre{background:#fff;border:1px solid #ccc;padding:.5rem;white-space:pre-wrap;word-break:break-all;max-width:60rem}
        button{padding:.3rem .8rem} .danger{background:#c0392b;color:#fff;border:0} nav a{margin-right:1rem}
        """;

    public static string Layout(string title, string body, bool readOnly) =>
        $"""
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>{E(title)} · correctomatic</title>
        <meta name="viewport" content="width=device-width, initial-scale=1"><link rel="stylesheet" href="/static/dashboard.css"></head>
        <body><nav><a href="/">dashboard</a><a href="/jobs">job search</a><a href="/?refresh=5">auto-refresh</a></nav>
        {(readOnly ? "<p class=\"ro\" id=\"read-only\">read-only mode: replay and purge are off</p>" : "")}
        {body}
        </body></html>
        """;

    public static string Overview(DashboardSnapshot s, bool readOnly)
    {
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"<h1>correctomatic</h1><p class=\"muted\">as of {s.At:u}; every figure is read from the streams within their retention</p>");
        html.Append("<h2>Jobs by status</h2><div class=\"cards\" id=\"statuses\">");
        foreach (var status in s.Statuses)
        {
            html.Append(CultureInfo.InvariantCulture, $"<div class=\"card\" data-status=\"{E(status.Status)}\"><b>{status.Count}</b>{E(status.Status)}</div>");
        }

        if (s.Statuses.Count == 0)
        {
            html.Append("<p>no jobs in the streams</p>");
        }

        html.Append("</div><h2>Queues</h2><table id=\"queues\"><tr><th>stream</th><th>length</th><th>group</th><th>pending</th><th>lag</th><th>oldest pending idle</th><th>consumers</th></tr>");
        foreach (var queue in s.Queues)
        {
            if (queue.Groups.Count == 0)
            {
                html.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(queue.Stream)}</td><td class=\"n\">{(queue.Exists ? queue.Length : 0)}</td><td colspan=\"5\">-</td></tr>");
            }

            foreach (var group in queue.Groups)
            {
                html.Append(CultureInfo.InvariantCulture,
                    $"<tr><td>{E(queue.Stream)}</td><td class=\"n\">{queue.Length}</td><td>{E(group.Name)}</td><td class=\"n\">{group.Pending}</td><td class=\"n\">{(group.Lag?.ToString(CultureInfo.InvariantCulture) ?? "-")}</td><td class=\"n\">{QueueInspector.Format(group.OldestPendingIdle)}</td><td>{E(string.Join(", ", group.Consumers.Select(c => $"{c.Name} ({c.Pending}, idle {QueueInspector.Format(c.Idle)})")))}</td></tr>");
            }
        }

        html.Append("</table><h2>Throughput per stage, last hour (entries per minute)</h2>").Append(ThroughputChart.Svg(s.Throughput));
        html.Append(CultureInfo.InvariantCulture,
            $"<h2>Callbacks, last hour</h2><div class=\"cards\" id=\"callbacks\"><div class=\"card\"><b>{s.Callbacks.Delivered}</b>delivered</div><div class=\"card\"><b>{s.Callbacks.Retrying}</b>retrying now</div><div class=\"card\"><b>{s.Callbacks.Dead}</b>dead</div><div class=\"card\"><b>{s.Callbacks.Waiting}</b>not yet read</div></div>");
        html.Append("<h2>Running containers per Docker host</h2>");
        if (s.ContainersError is { } error)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p>{E(error)}</p>");
        }
        else
        {
            html.Append("<table id=\"containers\"><tr><th>docker host</th><th>running</th><th>other states</th></tr>");
            foreach (var host in s.Containers)
            {
                html.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(host.DockerHost)}</td><td class=\"n\">{host.Running}</td><td class=\"n\">{host.Other}</td></tr>");
            }

            html.Append(s.Containers.Count == 0 ? "<tr><td colspan=\"3\">none</td></tr></table>" : "</table>");
        }

        html.Append(CultureInfo.InvariantCulture, $"<h2>Dead letters ({s.DeadLetters.Count})</h2>");
        html.Append("<table id=\"dead\"><tr><th>id</th><th>died in</th><th>reason</th><th>job</th><th></th></tr>");
        foreach (var entry in s.DeadLetters)
        {
            var data = EntryData.Parse(entry.Field(StreamFields.Data));
            var actions = readOnly ? "" :
                $"<a href=\"/dead/confirm?action=replay&amp;id={U(entry.Id)}\">replay</a> · <a href=\"/dead/confirm?action=purge&amp;id={U(entry.Id)}\">purge</a>";
            html.Append(CultureInfo.InvariantCulture,
                $"<tr data-id=\"{E(entry.Id)}\"><td>{E(entry.Id)}</td><td>{E(entry.Field(StreamFields.Source) ?? "?")} {E(entry.Field(StreamFields.SourceId) ?? "")}</td><td class=\"reason\">{E(entry.Field(StreamFields.Reason) ?? "(no reason)")}</td><td>{E(data.WorkId ?? data.JobId ?? "")}</td><td>{actions}</td></tr>");
        }

        html.Append("</table>");
        if (!readOnly && s.DeadLetters.Count > 0)
        {
            html.Append("<p><a href=\"/dead/confirm?action=purge\">purge every dead letter…</a></p>");
        }

        return Layout("dashboard", html.ToString(), readOnly);
    }

    public static string Jobs(string? query, IReadOnlyList<JobView> views, bool readOnly)
    {
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture,
            $"<h1>Job search</h1><form method=\"get\" action=\"/jobs\"><input name=\"q\" id=\"q\" size=\"40\" placeholder=\"job id or work id\" value=\"{E(query ?? "")}\"> <button type=\"submit\" id=\"search\">search</button></form>");
        if (query is not null && views.Count == 0)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p id=\"no-job\">no job with id or work id {E(query)} in the streams</p>");
        }

        foreach (var job in views)
        {
            html.Append(CultureInfo.InvariantCulture,
                $"<section class=\"job\" data-job-id=\"{E(job.JobId)}\"><h2>job {E(job.JobId)}</h2><p>work id: <span class=\"work-id\">{E(job.WorkId ?? "(none)")}</span></p><p>verdict: <b class=\"verdict\">{E(job.Verdict)}</b></p>");
            html.Append("<table class=\"timeline\"><tr><th>step</th><th>time</th><th>from</th></tr>");
            foreach (var step in job.Timeline)
            {
                html.Append(CultureInfo.InvariantCulture,
                    $"<tr data-step=\"{E(step.Step)}\"><td>{E(step.Step)}</td><td class=\"at\">{(step.At is { } at ? at.ToString("yyyy-MM-dd HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture) : "-")}</td><td>{E(step.Source)}</td></tr>");
            }

            html.Append(CultureInfo.InvariantCulture, $"</table><h3>signed body</h3><p class=\"muted\">{E(job.BodySource)}</p>");
            if (job.SignedBody is { } body)
            {
                html.Append(CultureInfo.InvariantCulture, $"<pre class=\"body\">{E(body)}</pre>");
            }

            html.Append("</section>");
        }

        return Layout("job search", html.ToString(), readOnly);
    }

    public static string Confirm(string action, IReadOnlyList<string> ids, AntiforgeryTokenSet tokens)
    {
        var what = ids.Count == 0 ? "every dead letter" : string.Join(", ", ids);
        var hidden = string.Concat(ids.Select(id => $"<input type=\"hidden\" name=\"id\" value=\"{E(id)}\">"));
        var consequence = action == "replay"
            ? "Each entry goes back into the stream it died in, and leaves the dead stream."
            : "The entries are deleted for good.";
        return Layout("confirm " + action, $"""
            <h1>Confirm {E(action)}</h1><p>{E(action)} <b id="what">{E(what)}</b>? {consequence}</p>
            <form method="post" action="/dead/{E(action)}"><input type="hidden" name="{E(tokens.FormFieldName)}" value="{E(tokens.RequestToken ?? "")}">{hidden}
            <button type="submit" class="danger" id="confirm">{E(action)}</button> <a href="/">cancel</a></form>
            """, readOnly: false);
    }

    public static string Message(string title, string message, bool readOnly) =>
        Layout(title, $"<h1>{E(title)}</h1><p id=\"message\">{E(message)}</p><p><a href=\"/\">back to the dashboard</a></p>", readOnly);

    public static string Login(AntiforgeryTokenSet tokens, string? error) => Layout("sign in", $"""
        <h1>Sign in</h1>{(error is null ? "" : $"<p id=\"message\">{E(error)}</p>")}
        <form method="post" action="/login"><input type="hidden" name="{E(tokens.FormFieldName)}" value="{E(tokens.RequestToken ?? "")}">
        <label>token (DASHBOARD_TOKEN) <input type="password" name="token" id="token" autocomplete="current-password"></label> <button type="submit" id="sign-in">sign in</button></form>
        """, readOnly: false);

    private static string E(string value) => WebUtility.HtmlEncode(value);

    private static string U(string value) => Uri.EscapeDataString(value);
}
