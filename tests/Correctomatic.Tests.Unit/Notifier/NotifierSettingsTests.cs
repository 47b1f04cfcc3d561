using Correctomatic.Notifier;
using Correctomatic.Shared.Configuration;
using Microsoft.Extensions.Configuration;

namespace Correctomatic.Tests.Unit.Notifier;

public sealed class NotifierSettingsTests
{
    private static (NotifierSettings Settings, IReadOnlyList<string> Errors) Read(params (string Key, string Value)[] values)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)))
            .Build();
        var reader = new SettingsReader(configuration);
        return (NotifierSettings.Read(reader), reader.Errors);
    }

    [Fact]
    public void Read_NoSigningKey_RefusesNamingBothSettings()
    {
        var (_, errors) = Read();

        var error = Assert.Single(errors);
        Assert.Contains("CALLBACK_SIGNING_KEY_FILE", error, StringComparison.Ordinal);
        Assert.Contains("CALLBACK_SIGNING_SECRET", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_SecretAndDefaults_AreValid()
    {
        var (settings, errors) = Read(("CALLBACK_SIGNING_SECRET", new string('k', 32)), ("CALLBACK_ALLOWED_NETWORKS", "127.0.0.0/8, 10.0.0.0/8"));

        Assert.Empty(errors);
        Assert.Equal(TimeSpan.FromHours(24), settings.MaxAge);
        Assert.Equal(TimeSpan.FromSeconds(1), settings.RetryDelay);
        Assert.Equal(2, settings.AllowedNetworks.Count);
    }

    [Fact]
    public void Read_OnlyTheSecret_IsWhatTheInitialisersSay()
    {
        var (settings, _) = Read(("CALLBACK_SIGNING_SECRET", new string('k', 32)));

        Assert.Equal(new NotifierSettings { Common = settings.Common, SigningSecret = settings.SigningSecret, AllowedNetworks = settings.AllowedNetworks }, settings);
    }

    [Fact]
    public void Read_RetryDelay_Typed()
    {
        var (settings, errors) = Read(("CALLBACK_SIGNING_SECRET", new string('k', 32)), ("NOTIFIER_RETRY_DELAY", "5s"));

        Assert.Empty(errors);
        Assert.Equal(TimeSpan.FromSeconds(5), settings.RetryDelay);
    }

    [Fact]
    public void Read_BadCidrAndBadDuration_NamesEachSetting()
    {
        var (_, errors) = Read(("CALLBACK_SIGNING_SECRET", new string('k', 32)), ("CALLBACK_ALLOWED_NETWORKS", "127.0.0.1/99"),
            ("CALLBACK_TIMEOUT", "soon"), ("NOTIFIER_RETRY_DELAY", "1ms"));

        Assert.Contains(errors, e => e.StartsWith("CALLBACK_ALLOWED_NETWORKS", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("CALLBACK_TIMEOUT", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("NOTIFIER_RETRY_DELAY=", StringComparison.Ordinal));
    }
}
