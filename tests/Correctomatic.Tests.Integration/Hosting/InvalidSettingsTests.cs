using Correctomatic.Tests.Integration.Infrastructure;

namespace Correctomatic.Tests.Integration.Hosting;

/// <summary>
/// A service started with bad settings (issue #18, "one composition shape"): it exits 2 with every bad setting of the
/// service in one message (its own, Redis's, the operations listener's, the log format), and connects to nothing.
/// The services' own programs, run as processes.
/// </summary>
public sealed class InvalidSettingsTests
{
    [Theory]
    [InlineData("Starter", "STARTER_HEALTH_LISTEN")]
    [InlineData("Completer", "COMPLETER_HEALTH_LISTEN")]
    [InlineData("Notifier", "NOTIFIER_HEALTH_LISTEN")]
    public async Task Service_SeveralBadSettings_Exits2NamingEveryOneAndConnectsToNothing(string service, string listenSetting)
    {
        var dll = Repository.ServiceDll(service);
        var environment = new Dictionary<string, string>
        {
            ["CORRECTOMATIC_ENV_FILE"] = "/nonexistent/.env",
            ["LOG_FORMAT"] = "xml",
            ["REDIS_URL"] = "bogus://nowhere",
            [listenSetting] = "not-an-address",
            ["CALLBACK_SIGNING_KEY_FILE"] = "/nonexistent/key.pem",
        };

        var result = await ProcessRunner.RunAsync("dotnet", [dll], environment: environment, timeout: TimeSpan.FromMinutes(1));

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith($"{service.ToLowerInvariant()}: invalid configuration:", result.Stderr, StringComparison.Ordinal);
        foreach (var setting in new[] { "LOG_FORMAT='xml'", "REDIS_URL 'bogus://nowhere'", $"{listenSetting}='not-an-address'" })
        {
            Assert.Contains(setting, result.Stderr, StringComparison.Ordinal);
        }

        if (service == "Notifier")
        {
            Assert.Contains("CALLBACK_SIGNING_KEY_FILE='/nonexistent/key.pem' cannot be loaded", result.Stderr, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("connected", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", result.Stderr, StringComparison.Ordinal);
    }
}
