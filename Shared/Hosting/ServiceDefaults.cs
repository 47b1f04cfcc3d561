using Correctomatic.Shared.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using System.Text.Json;

namespace Correctomatic.Shared.Hosting;

/// <summary>What the three services share: configuration sources, logs (LOG_FORMAT), systemd integration, the clock, the stage loop's heartbeat (STYLE habit 1).</summary>
public static class ServiceDefaults
{
    public static HostApplicationBuilder CreateBuilder(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, DisableDefaults = false });
        builder.Configuration.AddCorrectomaticSources();
        builder.Logging.ClearProviders();
        if (builder.ReadSettings(ReadLogFormat) == "json")
        {
            // One JSON object per line (for log shippers): message, the template's named values (JobId, WorkId, …), scopes.
            builder.Logging.AddJsonConsole(o =>
            {
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                o.IncludeScopes = true;
                o.JsonWriterOptions = new JsonWriterOptions { Indented = false };
            });
        }
        else
        {
            builder.Logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
                o.ColorBehavior = LoggerColorBehavior.Disabled;
            });
        }

        // Under systemd (Type=notify): readiness and stopping reported to the manager, journald-friendly console. Outside it, nothing.
        builder.Services.AddSystemd();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<Heartbeat>();
        builder.Services.Configure<HostOptions>(o =>
        {
            // Stage 2 of shutdown (STYLE, Hangfire): in-flight work gets this long after SIGTERM before it is abandoned un-acknowledged.
            o.ShutdownTimeout = TimeSpan.FromSeconds(30);
            o.BackgroundServiceExceptionBehavior = BackgroundServiceExceptionBehavior.StopHost;
        });
        return builder;
    }

    /// <summary>LOG_FORMAT: simple (one line per entry, the default) or json.</summary>
    private static string ReadLogFormat(SettingsReader reader)
    {
        var format = reader.String("LOG_FORMAT", "simple").ToLowerInvariant();
        if (format is not ("simple" or "json"))
        {
            reader.AddError($"LOG_FORMAT='{format}' is not simple or json");
        }

        return format;
    }

    /// <summary>Reads settings with <paramref name="read"/>; a bad setting stops the service with every problem named.</summary>
    public static T ReadSettings<T>(this HostApplicationBuilder builder, Func<SettingsReader, T> read)
    {
        var reader = new SettingsReader(builder.Configuration);
        var settings = read(reader);
        reader.ThrowIfInvalid();
        return settings;
    }
}
