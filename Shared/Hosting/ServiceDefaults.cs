using Correctomatic.Shared.Configuration;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using System.Text.Json;

namespace Correctomatic.Shared.Hosting;

/// <summary>What the three services share: configuration sources, logs (LOG_FORMAT), systemd integration, the clock, the stage loop's heartbeat (STYLE habit 1).</summary>
public static class ServiceDefaults
{
    public static HostApplicationBuilder CreateBuilder(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, DisableDefaults = false });
        builder.Configuration.AddCorrectomaticSources();
        // StackExchange.Redis logs every connect step at Information: warnings and up by default, below every other
        // source, so Logging__LogLevel__StackExchange.Redis=Information in the environment still shows them.
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource
        {
            InitialData = [new("Logging:LogLevel:StackExchange.Redis", "Warning")],
        });
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

    /// <summary>
    /// Reads settings with <paramref name="read"/> into the service's one <see cref="SettingsReader"/>, so that every bad
    /// setting of the service (its own, Redis's, Docker's, the operations listener's) is reported in one message when the
    /// host starts (<c>ValidateOnStart</c>, before any hosted service runs); <see cref="Run"/> prints it and exits 2.
    /// </summary>
    public static T ReadSettings<T>(this HostApplicationBuilder builder, Func<SettingsReader, T> read) => read(SettingsOf(builder));

    /// <summary>
    /// Runs the service: 2, with every bad setting on stderr and nothing connected, when settings are invalid; else
    /// builds and runs the host, 0 after a clean stop. (Hosts built by tests get the same check from ValidateOnStart.)
    /// </summary>
    public static int Run(this HostApplicationBuilder builder, ServiceIdentity identity)
    {
        var errors = SettingsOf(builder).Errors;
        if (errors.Count > 0)
        {
            Console.Error.WriteLine($"{identity.Name}: invalid configuration:");
            foreach (var error in errors)
            {
                Console.Error.WriteLine("  - " + error);
            }

            return 2;
        }

        using var host = builder.Build();
        host.Run();
        return 0;
    }

    private static SettingsReader SettingsOf(HostApplicationBuilder builder)
    {
        var properties = ((IHostApplicationBuilder)builder).Properties;
        if (properties.TryGetValue(typeof(SettingsReader), out var existing))
        {
            return (SettingsReader)existing;
        }

        var reader = new SettingsReader(builder.Configuration);
        properties[typeof(SettingsReader)] = reader;
        builder.Services.AddSingleton<IValidateOptions<SettingsCheck>>(new SettingsValidation(reader));
        builder.Services.AddOptions<SettingsCheck>().ValidateOnStart();
        return reader;
    }

    /// <summary>The options type the settings' validation hangs on: it has no values, the reader holds the problems.</summary>
    public sealed class SettingsCheck;

    private sealed class SettingsValidation(SettingsReader reader) : IValidateOptions<SettingsCheck>
    {
        public ValidateOptionsResult Validate(string? name, SettingsCheck options) =>
            reader.Errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(reader.Errors);
    }
}
