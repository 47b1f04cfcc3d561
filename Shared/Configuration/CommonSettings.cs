using Correctomatic.Shared.Contracts;

namespace Correctomatic.Shared.Configuration;

/// <summary>The settings every service shares (issue #2): where Redis and Docker are, and the stream prefix.</summary>
public sealed record CommonSettings
{
    public const string DefaultRedisUrl = "redis://127.0.0.1:6379";
    public const string DefaultDockerHost = "unix:///var/run/docker.sock";

    /// <summary>May hold a password (redis://user:password@host): never printed whole.</summary>
    [Secret(InUrl = true)]
    public required string RedisUrl { get; init; }
    public required string DockerHost { get; init; }
    public required string QueuePrefix { get; init; }

    public StreamNames Streams => new(QueuePrefix);

    /// <summary>Like the generated one, with the Redis password hidden (issue #16).</summary>
    public override string ToString() => SettingsPrinter.Print(this);

    public static CommonSettings Read(SettingsReader reader)
    {
        var prefix = reader.String("QUEUE_PREFIX", StreamNames.DefaultPrefix);
        if (prefix.Any(char.IsWhiteSpace))
        {
            reader.AddError($"QUEUE_PREFIX='{prefix}' must not contain white space");
        }

        return new CommonSettings
        {
            RedisUrl = reader.String("REDIS_URL", DefaultRedisUrl),
            DockerHost = reader.String("DOCKER_HOST", DefaultDockerHost),
            QueuePrefix = prefix,
        };
    }
}
