using Correctomatic.Shared.Configuration;
using Correctomatic.Shared.Contracts;
using Correctomatic.Starter;
using Microsoft.Extensions.Configuration;

namespace Correctomatic.Tests.Unit.Starter;

public sealed class LimitsPolicyTests
{
    private static LimitsPolicy CreateSut() => new()
    {
        Default = new EffectiveLimits(TimeSpan.FromSeconds(60), 300, 1, 128),
        Maximum = new EffectiveLimits(TimeSpan.FromMinutes(10), 1024, 2, 512),
    };

    [Fact]
    public void Apply_NoLimitsAsked_Defaults() => Assert.Equal(CreateSut().Default, CreateSut().Apply(null).Limits);

    [Fact]
    public void Apply_LowerLimits_Taken()
    {
        var decision = CreateSut().Apply(new JobLimits { TimeoutSeconds = 5, MemoryMb = 64, Cpus = 0.5, Pids = 16 });

        Assert.Equal(new EffectiveLimits(TimeSpan.FromSeconds(5), 64, 0.5, 16), decision.Limits);
        Assert.Equal(500_000_000, decision.Limits!.NanoCpus);
        Assert.Equal(64L * 1024 * 1024, decision.Limits.MemoryBytes);
    }

    [Fact]
    public void Apply_AboveDefaultWithinMaximum_Taken() =>
        Assert.Equal(1024, CreateSut().Apply(new JobLimits { MemoryMb = 1024 }).Limits!.MemoryMb);

    [Fact]
    public void Apply_OverMaximum_RejectedNamingEachLimit()
    {
        var decision = CreateSut().Apply(new JobLimits { TimeoutSeconds = 601, MemoryMb = 2048, Cpus = 3, Pids = 513 });

        Assert.Null(decision.Limits);
        Assert.Contains("timeout_seconds=601 exceeds the maximum 600", decision.Rejection, StringComparison.Ordinal);
        Assert.Contains("memory_mb=2048 exceeds the maximum 1024", decision.Rejection, StringComparison.Ordinal);
        Assert.Contains("cpus=3 exceeds the maximum 2", decision.Rejection, StringComparison.Ordinal);
        Assert.Contains("pids=513 exceeds the maximum 512", decision.Rejection, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_DefaultAboveMaximum_ErrorNamesSetting()
    {
        var reader = new SettingsReader(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["JOB_MEMORY_MB"] = "2000", ["JOB_MEMORY_MB_MAX"] = "1000" }).Build());

        LimitsPolicy.Read(reader);

        Assert.Contains("JOB_MEMORY_MB must not exceed JOB_MEMORY_MB_MAX", reader.Errors);
    }
}
