using Correctomatic.Shared.Configuration;
using Correctomatic.Shared.Hosting;
using Microsoft.Extensions.Configuration;

namespace Correctomatic.Tests.Unit.Hosting;

public sealed class OperationsSettingsTests
{
    private static (OperationsSettings Settings, SettingsReader Reader) Read(params (string Key, string Value)[] values)
    {
        var reader = new SettingsReader(new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build());
        return (OperationsSettings.Read(reader, ServiceIdentity.Completer), reader);
    }

    [Fact]
    public void Read_Nothing_LoopbackPortOfTheServiceAndPrometheus()
    {
        var (settings, reader) = Read();

        Assert.Empty(reader.Errors);
        Assert.Equal("http://127.0.0.1:9462", settings.Listen);
        Assert.Equal(MetricsExporters.Prometheus, settings.Exporters);
    }

    [Theory]
    [InlineData("")]
    [InlineData("off")]
    public void Read_EmptyOrOff_ListenerDisabled(string value)
    {
        var (settings, reader) = Read(("COMPLETER_HEALTH_LISTEN", value));

        Assert.Empty(reader.Errors);
        Assert.Null(settings.Listen);
    }

    [Theory]
    [InlineData("127.0.0.1:9462")]
    [InlineData("https://127.0.0.1:9462")]
    [InlineData("http://127.0.0.1:9462/health")]
    public void Read_NotHttpAddressPort_ErrorNamesTheSetting(string value)
    {
        var (_, reader) = Read(("COMPLETER_HEALTH_LISTEN", value));

        Assert.Contains(reader.Errors, e => e.StartsWith($"COMPLETER_HEALTH_LISTEN='{value}'", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_BothExporters_Flags()
    {
        var (settings, reader) = Read(("METRICS_EXPORTER", "prometheus,otlp"));

        Assert.Empty(reader.Errors);
        Assert.Equal(MetricsExporters.Prometheus | MetricsExporters.Otlp, settings.Exporters);
    }

    [Fact]
    public void Read_UnknownExporter_Error()
    {
        var (_, reader) = Read(("METRICS_EXPORTER", "statsd"));

        Assert.Contains(reader.Errors, e => e.Contains("'statsd'", StringComparison.Ordinal));
    }
}
