using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;

namespace Correctomatic.Shared.Hosting;

/// <summary>
/// The operations listener (issue #16): GET /health/live, /health/ready and /metrics on {SERVICE}_HEALTH_LISTEN.
/// Kestrel (ASP.NET Core's server, already in the shared framework the starter uses) with an empty application: no
/// routing, no MVC, just one request delegate, so the listener costs little memory. It runs beside the worker in the
/// same process and reads the service's own health checks and meter provider.
/// </summary>
public sealed class OperationsEndpoint(
    OperationsSettings settings, ServiceIdentity identity, HealthCheckService health, IServiceProvider services, ILoggerFactory loggers)
    : IHostedService, IAsyncDisposable
{
    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = false };
    private WebApplication? _app;

    /// <summary>The service's name (starter, completer, notifier).</summary>
    public string Service => identity.Name;

    /// <summary>Where it listens once started (port 0 resolved); null when off.</summary>
    public Uri? Address { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (settings.Listen is null)
        {
            return;
        }

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "correctomatic-" + identity.Name });
        builder.WebHost.UseKestrelCore().UseUrls(settings.Listen);
        builder.Services.AddSingleton(loggers);
        // The service's host owns the process's signals and its start/stop lines; this inner application follows it.
        builder.Services.AddSingleton<IHostLifetime, FollowerLifetime>();
        var app = builder.Build();
        if (settings.Exporters.HasFlag(MetricsExporters.Prometheus) && services.GetService<MeterProvider>() is { } meterProvider)
        {
            app.UseOpenTelemetryPrometheusScrapingEndpoint(meterProvider, IsMetrics, path: null, configureBranchedPipeline: null, optionsName: null);
        }

        app.Run(HandleAsync);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (IOException ex)
        {
            await app.DisposeAsync();
            throw new InvalidOperationException($"{identity.ListenSetting}='{settings.Listen}': cannot listen there ({ex.Message}); choose another address, or off", ex);
        }

        _app = app;
        Address = new Uri(app.Urls.First());
        loggers.CreateLogger("Correctomatic.Hosting").LogInformation("{Service} health on {Address}health/live and /health/ready{Metrics}",
            identity.Name, Address, app.Urls.Count > 0 && settings.Exporters.HasFlag(MetricsExporters.Prometheus) ? ", metrics on /metrics" : "");
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
        {
            await _app.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    /// <summary>An <see cref="IHostLifetime"/> that neither waits for nor handles SIGTERM: the service's own host stops this app.</summary>
    private sealed class FollowerLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

        private static bool IsMetrics(HttpContext context) => HttpMethods.IsGet(context.Request.Method) && context.Request.Path == "/metrics";

    private async Task HandleAsync(HttpContext context)
    {
        var tag = context.Request.Path.Value switch
        {
            "/health/live" => "live",
            "/health/ready" => "ready",
            _ => null,
        };
        if (tag is null || !(HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)))
        {
            context.Response.StatusCode = tag is null ? StatusCodes.Status404NotFound : StatusCodes.Status405MethodNotAllowed;
            return;
        }

        var report = await health.CheckHealthAsync(r => r.Tags.Contains(tag), context.RequestAborted);
        context.Response.StatusCode = report.Status == HealthStatus.Unhealthy ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-store";
        var body = new
        {
            status = report.Status.ToString(),
            service = identity.Name,
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
        };
        await context.Response.WriteAsync(JsonSerializer.Serialize(body, s_json), context.RequestAborted);
    }
}
