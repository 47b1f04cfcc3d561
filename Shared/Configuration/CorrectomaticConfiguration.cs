using Microsoft.Extensions.Configuration;

namespace Correctomatic.Shared.Configuration;

/// <summary>Where settings come from: a <c>.env</c> file (path in CORRECTOMATIC_ENV_FILE, default ./.env), then the environment, which wins.</summary>
public static class CorrectomaticConfiguration
{
    public const string EnvFileVariable = "CORRECTOMATIC_ENV_FILE";

    public static IConfigurationBuilder AddCorrectomaticSources(this IConfigurationBuilder builder)
    {
        var envFile = Environment.GetEnvironmentVariable(EnvFileVariable) ?? Path.Combine(Directory.GetCurrentDirectory(), ".env");
        builder.Add(new EnvFileConfigurationSource(envFile));
        builder.AddEnvironmentVariables();
        return builder;
    }

    public static IConfiguration Build() => new ConfigurationBuilder().AddCorrectomaticSources().Build();
}
