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

    [Theory]
    [InlineData(1e15, "timeout_seconds=1E+15 exceeds the maximum 600")]
    [InlineData(double.PositiveInfinity, "timeout_seconds is not a finite number")]
    [InlineData(double.NegativeInfinity, "timeout_seconds is not a finite number")]
    [InlineData(double.NaN, "timeout_seconds is not a finite number")]
    [InlineData(double.MaxValue, "timeout_seconds=1.79769E+308 exceeds the maximum 600")]
    [InlineData(-1, "timeout_seconds=-1 is below the minimum 0.001s")]
    [InlineData(0, "timeout_seconds=0 is below the minimum 0.001s")]
    [InlineData(1e-9, "timeout_seconds=1E-09 is below the minimum 0.001s")]
    public void Apply_TimeoutOutOfRange_RejectedNamingTheField(double seconds, string expected) =>
        AssertRejected(new JobLimits { TimeoutSeconds = seconds }, expected);

    [Theory]
    [InlineData(1e-6)]
    [InlineData(0.0001)]
    [InlineData(0.0099)]
    public void Apply_CpusBelowTheKernelFloor_RejectedNamingTheLimit(double cpus) =>
        AssertRejected(new JobLimits { Cpus = cpus }, "is below the kernel's floor of 0.01");

    [Theory]
    [InlineData(1e15, "cpus=1E+15 exceeds the maximum 2")]
    [InlineData(double.NaN, "cpus is not a finite number")]
    [InlineData(double.PositiveInfinity, "cpus is not a finite number")]
    [InlineData(-1, "cpus=-1 is below the kernel's floor")]
    [InlineData(0, "cpus=0 is below the kernel's floor")]
    public void Apply_CpusOutOfRange_RejectedNamingTheField(double cpus, string expected) =>
        AssertRejected(new JobLimits { Cpus = cpus }, expected);

    [Fact]
    public void Apply_CpusAtTheFloor_TakenWithAFiniteQuota()
    {
        var limits = CreateSut().Apply(new JobLimits { Cpus = 0.01 }).Limits!;

        // 10^7 NanoCpus: the engine writes a CFS quota of 1000 us per 100000 us period, the kernel's minimum.
        Assert.Equal(10_000_000, limits.NanoCpus);
    }

    [Theory]
    [InlineData(1_000_000_000_000_000L, "memory_mb=1000000000000000 exceeds the maximum 1024")]
    [InlineData(long.MaxValue, "memory_mb=9223372036854775807 exceeds the maximum 1024")]
    [InlineData(-1L, "memory_mb=-1 is below the minimum 6")]
    [InlineData(0L, "memory_mb=0 is below the minimum 6")]
    [InlineData(5L, "memory_mb=5 is below the minimum 6")]
    public void Apply_MemoryOutOfRange_RejectedNamingTheField(long memoryMb, string expected) =>
        AssertRejected(new JobLimits { MemoryMb = memoryMb }, expected);

    [Theory]
    [InlineData(1_000_000_000_000_000L, "pids=1000000000000000 exceeds the maximum 512")]
    [InlineData(long.MinValue, "pids=-9223372036854775808 is below the minimum 1")]
    [InlineData(-1L, "pids=-1 is below the minimum 1")]
    [InlineData(0L, "pids=0 is below the minimum 1")]
    public void Apply_PidsOutOfRange_RejectedNamingTheField(long pids, string expected) =>
        AssertRejected(new JobLimits { Pids = pids }, expected);

    [Fact]
    public void Apply_EveryFieldOutOfRange_OneRejectionNamingEach()
    {
        var decision = CreateSut().Apply(new JobLimits { TimeoutSeconds = double.NaN, MemoryMb = 0, Cpus = 1e-6, Pids = -1 });

        Assert.Null(decision.Limits);
        foreach (var field in new[] { "timeout_seconds", "memory_mb", "cpus", "pids" })
        {
            Assert.Contains(field, decision.Rejection, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("JOB_CPUS", "0.001")]
    [InlineData("JOB_CPUS_MAX", "0.000001")]
    [InlineData("JOB_CPUS", "NaN")]
    [InlineData("JOB_TIMEOUT", "1e15")]
    [InlineData("JOB_MEMORY_MB", "1")]
    [InlineData("JOB_PIDS", "0")]
    public void Read_SettingOutOfRange_ErrorNamesTheSetting(string name, string value)
    {
        var reader = new SettingsReader(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [name] = value }).Build());

        LimitsPolicy.Read(reader);

        Assert.Contains(reader.Errors, e => e.StartsWith(name, StringComparison.Ordinal));
    }

    private static void AssertRejected(JobLimits asked, string expected)
    {
        var decision = CreateSut().Apply(asked);

        Assert.Null(decision.Limits);
        Assert.StartsWith("limits out of range: ", decision.Rejection, StringComparison.Ordinal);
        Assert.Contains(expected, decision.Rejection, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_DefaultAboveMaximum_ErrorNamesSetting()
    {
        var reader = new SettingsReader(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["JOB_MEMORY_MB"] = "2000", ["JOB_MEMORY_MB_MAX"] = "1000" }).Build());

        LimitsPolicy.Read(reader);

        Assert.Contains("JOB_MEMORY_MB must not exceed JOB_MEMORY_MB_MAX", reader.Errors);
    }

    [Fact]
    public void Apply_TmpBelowTheConfigured_Taken() =>
        Assert.Equal(8, CreateSut().Apply(new JobLimits { TmpMb = 8 }).Limits!.TmpMb);

    [Theory]
    [InlineData(65, "tmp_mb=65 exceeds the maximum 64")]
    [InlineData(0, "tmp_mb=0 is below the minimum 1")]
    [InlineData(-1, "tmp_mb=-1 is below the minimum 1")]
    public void Apply_TmpOutOfRange_RejectedNamingTheField(long tmpMb, string message) =>
        Assert.Contains(message, CreateSut().Apply(new JobLimits { TmpMb = tmpMb }).Rejection, StringComparison.Ordinal);
}
