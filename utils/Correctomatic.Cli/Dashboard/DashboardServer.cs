using System.Security.Cryptography;
using System.Text;
using Correctomatic.Cli.Commands;
using Correctomatic.Shared.Docker;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Correctomatic.Cli.Dashboard;

/// <summary>
/// The operator's dashboard (issue #17): Kestrel with minimal APIs, pages rendered on the server, nothing from another
/// origin. Every request needs the token (a bearer header, or the HttpOnly SameSite=Strict cookie the login form sets);
/// replay and purge are POSTs behind a confirmation page and ASP.NET Core antiforgery, refused in read-only mode, and
/// each one writes an audit line.
/// </summary>
public sealed class DashboardServer : IAsyncDisposable
{
    private const string CookieName = "correctomatic_dashboard";
    private readonly WebApplication _app;

    private DashboardServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>Where it listens (port 0 resolved).</summary>
    public Uri Address { get; }

    /// <summary>Starts serving; every Redis access goes through <paramref name="reads"/>.</summary>
    public static async Task<DashboardServer> StartAsync(DashboardSettings settings, DashboardReads reads,
        IDockerClient? docker, TimeProvider time, ILoggerFactory loggers, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "correctomatic-dashboard" });
        builder.WebHost.UseKestrelCore().UseUrls(settings.Listen);
        builder.Services.AddSingleton(loggers);
        builder.Services.AddRoutingCore();
        builder.Services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "correctomatic_antiforgery";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.HttpOnly = true;
        });
        var app = builder.Build();
        var logger = loggers.CreateLogger("Correctomatic.Dashboard");
        var queries = new DashboardQueries(reads, docker, time);
        var session = SessionValue(settings.Token);

        app.Use(async (context, next) =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            headers.CacheControl = "no-store";
            if (context.Request.Path.StartsWithSegments("/login") || context.Request.Path == "/static/dashboard.css")
            {
                await next(context);
                return;
            }

            if (Identify(context, settings.Token, session) is null)
            {
                DashboardLog.Refused(logger, context.Request.Method, context.Request.Path, Remote(context), "no valid token");
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                headers.WWWAuthenticate = "Bearer realm=\"correctomatic\"";
                await Html(context, DashboardPage.Message("sign in needed", "This dashboard needs the token (DASHBOARD_TOKEN): an Authorization: Bearer header, or sign in at /login.", false));
                return;
            }

            await next(context);
        });

        app.MapGet("/static/dashboard.css", () => Results.Text(DashboardPage.Css, "text/css"));
        app.MapGet("/login", (HttpContext context, IAntiforgery antiforgery) => Html(context, DashboardPage.Login(antiforgery.GetAndStoreTokens(context), null)));
        app.MapPost("/login", async (HttpContext context, IAntiforgery antiforgery) =>
        {
            if (!await ValidAsync(context, antiforgery))
            {
                return;
            }

            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            if (!FixedTimeEquals(form["token"].ToString(), settings.Token))
            {
                DashboardLog.Refused(logger, "POST", "/login", Remote(context), "wrong token");
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                await Html(context, DashboardPage.Login(antiforgery.GetAndStoreTokens(context), "wrong token"));
                return;
            }

            context.Response.Cookies.Append(CookieName, session, new CookieOptions
            {
                HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = context.Request.IsHttps, Path = "/",
            });
            context.Response.Redirect("/");
        });

        app.MapGet("/", async (HttpContext context) =>
        {
            if (context.Request.Query.ContainsKey("refresh"))
            {
                context.Response.Headers["Refresh"] = "5";
            }

            await Html(context, DashboardPage.Overview(await queries.SnapshotAsync(context.RequestAborted), settings.ReadOnly));
        });
        app.MapGet("/jobs", async (HttpContext context) =>
        {
            var query = context.Request.Query["q"].ToString();
            var views = string.IsNullOrWhiteSpace(query) ? [] : await queries.FindAsync(query, context.RequestAborted);
            await Html(context, DashboardPage.Jobs(string.IsNullOrWhiteSpace(query) ? null : query.Trim(), views, settings.ReadOnly));
        });
        app.MapGet("/dead/confirm", async (HttpContext context, IAntiforgery antiforgery) =>
        {
            var action = context.Request.Query["action"].ToString();
            if (await RefusedAsync(context, settings, action))
            {
                return;
            }

            await Html(context, DashboardPage.Confirm(action, Ids(context.Request.Query["id"]), antiforgery.GetAndStoreTokens(context)));
        });
        app.MapPost("/dead/{action}", async (HttpContext context, IAntiforgery antiforgery, string action) =>
        {
            if (await RefusedAsync(context, settings, action) || !await ValidAsync(context, antiforgery))
            {
                return;
            }

            var ids = Ids((await context.Request.ReadFormAsync(context.RequestAborted))["id"]);
            var who = Identify(context, settings.Token, session)!;
            string outcome;
            try
            {
                if (action == "replay")
                {
                    if (ids.Count == 0)
                    {
                        throw new InvalidInputException("replay needs at least one id");
                    }

                    var moved = new List<string>();
                    foreach (var id in ids)
                    {
                        var (stream, newId) = await reads.DeadLetters.ReplayAsync(id, context.RequestAborted);
                        moved.Add($"{id} -> {stream} {newId}");
                    }

                    outcome = "replayed " + string.Join("; ", moved);
                }
                else
                {
                    outcome = $"purged {await reads.DeadLetters.PurgeAsync(ids, context.RequestAborted)}";
                }
            }
            catch (InvalidInputException ex)
            {
                outcome = "failed: " + ex.Message;
                context.Response.StatusCode = StatusCodes.Status404NotFound;
            }

            await AuditAsync(reads, settings, logger, who, action, ids, outcome, context.RequestAborted);
            await Html(context, DashboardPage.Message(action, outcome, settings.ReadOnly));
        });

        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (IOException ex)
        {
            await app.DisposeAsync();
            throw new InvalidInputException($"--listen '{settings.Listen}': cannot listen there ({ex.Message})");
        }

        var server = new DashboardServer(app, new Uri(app.Urls.First()));
        DashboardLog.Listening(logger, server.Address, settings.ReadOnly);
        return server;
    }

    /// <summary>Runs until <paramref name="cancellationToken"/> (Ctrl+C) ends it.</summary>
    public Task WaitAsync(CancellationToken cancellationToken) => _app.WaitForShutdownAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static async Task AuditAsync(DashboardReads reads, DashboardSettings settings, ILogger logger, string who, string action,
        IReadOnlyList<string> ids, string outcome, CancellationToken cancellationToken)
    {
        DashboardLog.Audit(logger, who, action, ids.Count == 0 ? "(all)" : string.Join(",", ids), outcome);
        if (settings.AuditStream)
        {
            await reads.AppendAuditAsync(who, action, ids, outcome, cancellationToken);
        }
    }

    private static async Task<bool> RefusedAsync(HttpContext context, DashboardSettings settings, string action)
    {
        if (action is not ("replay" or "purge"))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            await Html(context, DashboardPage.Message("unknown action", $"no action '{action}': replay or purge", settings.ReadOnly));
            return true;
        }

        if (settings.ReadOnly)
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            await Html(context, DashboardPage.Message("read-only", $"{action} is refused: the dashboard runs read-only (--read-only or DASHBOARD_READ_ONLY)", true));
            return true;
        }

        return false;
    }

    private static async Task<bool> ValidAsync(HttpContext context, IAntiforgery antiforgery)
    {
        if (await antiforgery.IsRequestValidAsync(context))
        {
            return true;
        }

        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        await Html(context, DashboardPage.Message("refused", "the form's anti-forgery token is missing or wrong: reload the page and try again", false));
        return false;
    }

    /// <summary>Who is asking, for the audit line; null when neither the bearer token nor the session cookie is right.</summary>
    private static string? Identify(HttpContext context, string token, string session)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.Ordinal) && FixedTimeEquals(authorization["Bearer ".Length..].Trim(), token))
        {
            return "bearer token from " + Remote(context);
        }

        return context.Request.Cookies.TryGetValue(CookieName, out var cookie) && FixedTimeEquals(cookie, session)
            ? "signed-in session from " + Remote(context)
            : null;
    }

    /// <summary>The cookie's value: derived from the token, so the token itself never sits in the browser, and changing it ends every session.</summary>
    private static string SessionValue(string token) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(token), "correctomatic-dashboard-session"u8));

    private static bool FixedTimeEquals(string? given, string expected) =>
        given is not null && CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));

    private static string Remote(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "?";

    private static List<string> Ids(Microsoft.Extensions.Primitives.StringValues values) =>
        values.Select(v => v?.Trim()).Where(v => !string.IsNullOrEmpty(v)).Select(v => v!).Distinct(StringComparer.Ordinal).Take(1000).ToList();

    private static Task Html(HttpContext context, string html)
    {
        context.Response.ContentType = "text/html; charset=utf-8";
        return context.Response.WriteAsync(html, context.RequestAborted);
    }
}
