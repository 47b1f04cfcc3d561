using Correctomatic.Completer;
using Correctomatic.Shared.Configuration;
using Microsoft.Extensions.Configuration;

namespace Correctomatic.Tests.Unit.Completer;

public sealed class CompleterSettingsTests
{
    private static (CompleterSettings Settings, IReadOnlyList<string> Errors) Read(params (string Key, string Value)[] values)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)))
            .Build();
        var reader = new SettingsReader(configuration);
        return (CompleterSettings.Read(reader), reader.Errors);
    }

    [Fact]
    public void Read_Nothing_GivesTheDocumentedDefaults()
    {
        var (settings, errors) = Read();

        Assert.Empty(errors);
        Assert.Null(settings.DockerHostId);
        Assert.Equal(1024 * 1024, settings.OutputLimitBytes);
        Assert.Equal(2048, settings.StderrTailBytes);
        Assert.Equal(TimeSpan.FromSeconds(5), settings.SweepInterval);
        Assert.Equal(TimeSpan.FromMinutes(10), settings.OrphanGrace);
        Assert.Equal(TimeSpan.FromSeconds(20), settings.RenewInterval);
        Assert.Equal(4, settings.Concurrency);
        Assert.Equal(5, settings.MaxCompletionAttempts);
        Assert.Equal(2, settings.InfraRetries);
        Assert.Equal(TimeSpan.FromSeconds(1), settings.ReadBlock);
        Assert.Equal(16, settings.ReadBatch);
        Assert.Equal(100, settings.ReclaimBatch);
        Assert.Equal(TimeSpan.FromSeconds(1), settings.RetryDelay);
        Assert.Equal(TimeSpan.FromSeconds(30), settings.CompletionTimeout);
        Assert.NotEqual(Read().Settings.ConsumerName, settings.ConsumerName);
    }

    [Fact]
    public void Read_Nothing_IsWhatTheInitialisersSay()
    {
        var (settings, _) = Read();

        Assert.Equal(new CompleterSettings { Common = settings.Common, ConsumerName = settings.ConsumerName }, settings);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("1e15")]
    public void Read_MaxCompletionAttemptsOutOfRange_ErrorNamesIt(string value) =>
        Assert.Contains(Read(("COMPLETER_MAX_COMPLETION_ATTEMPTS", value)).Errors, e => e.StartsWith("COMPLETER_MAX_COMPLETION_ATTEMPTS", StringComparison.Ordinal));

    [Theory]
    [InlineData("-1")]
    [InlineData("11")]
    [InlineData("two")]
    public void Read_InfraRetriesOutOfRange_ErrorNamesIt(string value) =>
        Assert.Contains(Read(("COMPLETER_INFRA_RETRIES", value)).Errors, e => e.StartsWith("COMPLETER_INFRA_RETRIES", StringComparison.Ordinal));

    [Fact]
    public void Read_Timings_AreTyped()
    {
        var (settings, errors) = Read(("COMPLETER_READ_BLOCK", "250ms"), ("COMPLETER_READ_BATCH", "4"), ("COMPLETER_RECLAIM_BATCH", "10"),
            ("COMPLETER_RETRY_DELAY", "2s"), ("COMPLETER_COMPLETION_TIMEOUT", "2m"), ("COMPLETER_ENGINE_PING_INTERVAL", "500ms"));

        Assert.Empty(errors);
        Assert.Equal(TimeSpan.FromMilliseconds(500), settings.EnginePingInterval);
        Assert.Equal(TimeSpan.FromMilliseconds(250), settings.ReadBlock);
        Assert.Equal(4, settings.ReadBatch);
        Assert.Equal(10, settings.ReclaimBatch);
        Assert.Equal(TimeSpan.FromSeconds(2), settings.RetryDelay);
        Assert.Equal(TimeSpan.FromMinutes(2), settings.CompletionTimeout);
    }

    [Fact]
    public void Read_BadTimings_AllReportedTogether()
    {
        var (_, errors) = Read(("COMPLETER_READ_BLOCK", "5m"), ("COMPLETER_READ_BATCH", "0"), ("COMPLETER_RECLAIM_BATCH", "many"),
            ("COMPLETER_RETRY_DELAY", "1ms"), ("COMPLETER_COMPLETION_TIMEOUT", "0s"), ("COMPLETER_ENGINE_PING_INTERVAL", "10ms"));

        Assert.Contains(errors, e => e.StartsWith("COMPLETER_READ_BLOCK=", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("COMPLETER_READ_BATCH=0", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("COMPLETER_RECLAIM_BATCH=", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("COMPLETER_RETRY_DELAY=", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("COMPLETER_COMPLETION_TIMEOUT=", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("COMPLETER_ENGINE_PING_INTERVAL=", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_Values_AreTyped()
    {
        var (settings, errors) = Read(("DOCKER_HOST_ID", "engine-a"), ("OUTPUT_LIMIT", "4096"), ("COMPLETER_SWEEP_INTERVAL", "250ms"),
            ("COMPLETER_RECLAIM_IDLE", "30s"), ("COMPLETER_ORPHAN_GRACE", "2m"), ("COMPLETER_CONSUMER", "c1"));

        Assert.Empty(errors);
        Assert.Equal("engine-a", settings.DockerHostId);
        Assert.Equal(4096, settings.OutputLimitBytes);
        Assert.Equal(TimeSpan.FromMilliseconds(250), settings.SweepInterval);
        Assert.Equal(TimeSpan.FromSeconds(10), settings.RenewInterval);
        Assert.Equal("c1", settings.ConsumerName);
    }

    [Fact]
    public void Read_BadValues_NameEachSetting()
    {
        var (_, errors) = Read(("OUTPUT_LIMIT", "10"), ("COMPLETER_SWEEP_INTERVAL", "soon"), ("COMPLETER_CONCURRENCY", "0"),
            ("COMPLETER_RECLAIM_IDLE", "5m"), ("COMPLETER_ORPHAN_GRACE", "1m"));

        Assert.Contains(errors, e => e.StartsWith("OUTPUT_LIMIT=10", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("COMPLETER_SWEEP_INTERVAL='soon'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("COMPLETER_CONCURRENCY=0", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("must be longer than COMPLETER_RECLAIM_IDLE", StringComparison.Ordinal));
    }
}
