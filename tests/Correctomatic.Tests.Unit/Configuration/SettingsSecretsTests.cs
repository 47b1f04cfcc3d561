using Correctomatic.Completer;
using Correctomatic.Notifier;
using Correctomatic.Shared.Configuration;
using Correctomatic.Shared.Docker;
using Correctomatic.Shared.Hosting;
using Correctomatic.Shared.Redis;
using Correctomatic.Starter;
using Microsoft.Extensions.Configuration;

namespace Correctomatic.Tests.Unit.Configuration;

/// <summary>Issue #16: no settings record prints a secret, including through the ToString a record generates.</summary>
public sealed class SettingsSecretsTests
{
    private const string RedisPassword = "RedisPw-7f3a9c";
    private const string JobTokenSecret = "JobTokenSecret-5e1d0b7c9a8f6e4d3c2b1a0f9e8d7c6b";
    private const string RegistryPassword = "RegistryPw-2b8e4d";
    private const string CallbackSecret = "CallbackHmac-9c7a5e3b1d0f8e6c4a2b0d9f7e5c3a1b";
    private const string KeyPassword = "KeyPw-4d6f8a";

    private static readonly string[] s_secrets = [RedisPassword, JobTokenSecret, RegistryPassword, CallbackSecret, KeyPassword];

    private static SettingsReader CreateSut(params (string Key, string Value)[] extra)
    {
        var values = new Dictionary<string, string?>
        {
            ["REDIS_URL"] = $"redis://admin:{RedisPassword}@redis.example:6380/2",
            ["JOB_TOKEN_SECRET"] = JobTokenSecret,
            ["REGISTRY_USERNAME"] = "teacher",
            ["REGISTRY_PASSWORD"] = RegistryPassword,
            ["CALLBACK_SIGNING_SECRET"] = CallbackSecret,
            ["CALLBACK_SIGNING_KEY_PASSWORD"] = KeyPassword,
            ["QUEUE_PREFIX"] = "secrets-test:",
        };
        foreach (var (key, value) in extra)
        {
            values[key] = value;
        }

        return new SettingsReader(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
    }

    public static TheoryData<string> Records() => ["starter", "completer", "notifier", "common", "sandbox", "docker", "redis", "operations"];

    [Theory]
    [MemberData(nameof(Records))]
    public void ToString_SettingsWithSecrets_PrintsNoSecretButTheRest(string record)
    {
        var reader = CreateSut();
        object settings = record switch
        {
            "starter" => StarterSettings.Read(reader),
            "completer" => CompleterSettings.Read(reader),
            "notifier" => NotifierSettings.Read(reader),
            "common" => CommonSettings.Read(reader),
            "sandbox" => SandboxSettings.Read(reader),
            "docker" => DockerSettings.Read(reader),
            "redis" => RedisSettings.Read(reader, "secrets-test"),
            _ => OperationsSettings.Read(reader, ServiceIdentity.Starter),
        };
        reader.ThrowIfInvalid();

        var text = settings.ToString()!;

        foreach (var secret in s_secrets)
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }

        Assert.StartsWith(settings.GetType().Name + " {", text, StringComparison.Ordinal); // still the record's shape, not an empty string
    }

    [Fact]
    public void ToString_StarterSettings_ShowsTheRedisUrlWithoutItsPasswordAndMarksEachSecret()
    {
        var text = StarterSettings.Read(CreateSut()).ToString();

        Assert.Contains("redis://admin:***@redis.example:6380/2", text, StringComparison.Ordinal);
        Assert.Contains("JobTokenSecret = ***", text, StringComparison.Ordinal);
        Assert.Contains("RegistryCredentials { Username = teacher, Password = ***", text, StringComparison.Ordinal);
        Assert.Contains("QueuePrefix = secrets-test:", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_NotifierSettings_HidesSigningSecretAndKeyPassword()
    {
        var text = NotifierSettings.Read(CreateSut()).ToString();

        Assert.Contains("SigningSecret = ***", text, StringComparison.Ordinal);
        Assert.Contains("SigningKeyPassword = ***", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Raw_SecretFromFile_ReadsTheFileWhenTheSettingIsUnset()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, CallbackSecret + "\n");
            var reader = new SettingsReader(new ConfigurationBuilder().AddInMemoryCollection(
                [new KeyValuePair<string, string?>("CALLBACK_SIGNING_SECRET_FILE", path)]).Build());

            Assert.Equal(CallbackSecret, reader.OptionalString("CALLBACK_SIGNING_SECRET"));
            Assert.Empty(reader.Errors);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Raw_SecretFileMissing_ErrorNamesTheSetting()
    {
        var reader = new SettingsReader(new ConfigurationBuilder().AddInMemoryCollection(
            [new KeyValuePair<string, string?>("JOB_TOKEN_SECRET_FILE", "/nonexistent/secret")]).Build());

        Assert.Null(reader.OptionalString("JOB_TOKEN_SECRET"));
        Assert.Contains(reader.Errors, e => e.StartsWith("JOB_TOKEN_SECRET_FILE='/nonexistent/secret' cannot be read", StringComparison.Ordinal));
    }
}
