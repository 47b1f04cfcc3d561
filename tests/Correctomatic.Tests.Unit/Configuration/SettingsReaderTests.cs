using Correctomatic.Shared.Configuration;
using Microsoft.Extensions.Configuration;

namespace Correctomatic.Tests.Unit.Configuration;

public sealed class SettingsReaderTests
{
    private static SettingsReader CreateSut(params (string Key, string Value)[] values) =>
        new(new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build());

    [Fact]
    public void ThrowIfInvalid_SeveralBadSettings_NamesEveryOne()
    {
        var reader = CreateSut(("JOB_TIMEOUT", "soon"), ("MAX_MEMORY_MB", "-3"), ("PULL_IMAGES", "maybe"));

        reader.Duration("JOB_TIMEOUT", TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
        reader.Long("MAX_MEMORY_MB", 256, 6, 65536);
        reader.Bool("PULL_IMAGES", false);
        var ex = Assert.Throws<InvalidSettingsException>(reader.ThrowIfInvalid);

        Assert.Equal(3, ex.Errors.Count);
        Assert.Contains("JOB_TIMEOUT", ex.Message, StringComparison.Ordinal);
        Assert.Contains("MAX_MEMORY_MB", ex.Message, StringComparison.Ordinal);
        Assert.Contains("PULL_IMAGES", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_MissingSettings_GiveDefaults()
    {
        var reader = CreateSut();

        var common = CommonSettings.Read(reader);
        reader.ThrowIfInvalid();

        Assert.Equal("correctomatic:", common.QueuePrefix);
        Assert.Equal("correctomatic:pending", common.Streams.Pending);
        Assert.Equal(CommonSettings.DefaultRedisUrl, common.RedisUrl);
        Assert.Equal(CommonSettings.DefaultDockerHost, common.DockerHost);
    }

    [Fact]
    public void Duration_OutOfRange_IsAnError()
    {
        var reader = CreateSut(("T", "2h"));

        reader.Duration("T", TimeSpan.FromSeconds(1), TimeSpan.Zero, TimeSpan.FromHours(1));

        Assert.Single(reader.Errors);
        Assert.Contains("T=2h is out of range", reader.Errors[0], StringComparison.Ordinal);
    }
}
