using Correctomatic.Cli.Dashboard;
using Correctomatic.Shared.Configuration;
using Microsoft.Extensions.Configuration;

namespace Correctomatic.Tests.Unit.Cli.Dashboard;

public sealed class DashboardSettingsTests
{
    private const string Token = "a-token-of-enough-length";

    [Fact]
    public void Read_NoToken_RefusedNamingTheSetting()
    {
        var reader = CreateReader([]);

        DashboardSettings.Read(reader, "http://127.0.0.1:8080", allowRemoteFlag: false, readOnlyFlag: false);

        var error = Assert.Throws<InvalidSettingsException>(reader.ThrowIfInvalid);
        Assert.Contains("DASHBOARD_TOKEN is required", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ShortToken_Refused()
    {
        var reader = CreateReader(new() { ["DASHBOARD_TOKEN"] = "short" });

        DashboardSettings.Read(reader, "http://127.0.0.1:8080", false, false);

        Assert.Contains(reader.Errors, e => e.Contains("at least 16", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("http://0.0.0.0:8080")]
    [InlineData("http://192.168.1.10:8080")]
    [InlineData("http://dashboard.example:8080")]
    public void Read_NonLoopbackListenWithoutAllowRemote_Refused(string listen)
    {
        var reader = CreateReader(new() { ["DASHBOARD_TOKEN"] = Token });

        DashboardSettings.Read(reader, listen, false, false);

        Assert.Contains(reader.Errors, e => e.Contains("--allow-remote", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080", false)]
    [InlineData("http://[::1]:8080", false)]
    [InlineData("http://localhost:8080", false)]
    [InlineData("http://0.0.0.0:8080", true)]
    public void Read_LoopbackOrAllowedRemote_Accepted(string listen, bool allowRemote)
    {
        var reader = CreateReader(new() { ["DASHBOARD_TOKEN"] = Token });

        var settings = DashboardSettings.Read(reader, listen, allowRemote, false);

        Assert.Empty(reader.Errors);
        Assert.Equal(Token, settings.Token);
        Assert.False(settings.ReadOnly);
    }

    [Fact]
    public void Read_ReadOnlyAndAuditSettings_Applied()
    {
        var reader = CreateReader(new() { ["DASHBOARD_TOKEN"] = Token, ["DASHBOARD_READ_ONLY"] = "true", ["DASHBOARD_AUDIT_STREAM"] = "true" });

        var settings = DashboardSettings.Read(reader, "http://127.0.0.1:8080", false, false);

        Assert.True(settings.ReadOnly);
        Assert.True(settings.AuditStream);
    }

    private static SettingsReader CreateReader(Dictionary<string, string?> values) =>
        new(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
}
