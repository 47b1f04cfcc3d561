using Correctomatic.Shared.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Correctomatic.Shared.Hosting;

/// <summary>What the three services share: configuration sources, one-line logs, the clock (STYLE habit 1).</summary>
public static class ServiceDefaults
{
    public static HostApplicationBuilder CreateBuilder(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, DisableDefaults = false });
        builder.Configuration.AddCorrectomaticSources();
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.UseUtcTimestamp = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            o.ColorBehavior = LoggerColorBehavior.Disabled;
        });
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.Configure<HostOptions>(o =>
        {
            // Stage 2 of shutdown (STYLE, Hangfire): in-flight work gets this long after SIGTERM before it is abandoned un-acknowledged.
            o.ShutdownTimeout = TimeSpan.FromSeconds(30);
            o.BackgroundServiceExceptionBehavior = BackgroundServiceExceptionBehavior.StopHost;
        });
        return builder;
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
