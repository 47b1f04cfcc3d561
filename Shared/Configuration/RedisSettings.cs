using Correctomatic.Shared.Redis;

namespace Correctomatic.Shared.Configuration;

/// <summary>The REDIS_* and QUEUE_* settings (issues #3, #12, #15); a bad one joins the reader's errors, by name.</summary>
public static class RedisSettings
{
    public static RedisClientOptions Read(SettingsReader reader, string clientName)
    {
        if (!RedisEndpoint.TryParse(reader.String("REDIS_URL", CommonSettings.DefaultRedisUrl), out var endpoint, out var error))
        {
            reader.AddError(error);
            endpoint = RedisEndpoint.Parse(CommonSettings.DefaultRedisUrl);
        }

        var caFile = reader.OptionalString("REDIS_TLS_CA_FILE");
        if (caFile is not null && !File.Exists(caFile))
        {
            reader.AddError($"REDIS_TLS_CA_FILE='{caFile}' does not exist");
        }

        return new RedisClientOptions
        {
            Endpoint = endpoint,
            ClientName = RedisClientOptions.DefaultClientName(clientName),
            ConnectTimeout = reader.Duration("REDIS_CONNECT_TIMEOUT", TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(5)),
            CommandTimeout = reader.Duration("REDIS_COMMAND_TIMEOUT", TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(10)),
            TlsCaFile = caFile,
            WaitReplicas = reader.Int("REDIS_WAIT_REPLICAS", 0, 0, 100),
            WaitTimeout = reader.Duration("REDIS_WAIT_TIMEOUT", TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(1), TimeSpan.FromMinutes(1)),
        };
    }

    /// <summary>QUEUE_MAX_DELIVERIES, QUEUE_MAX_ENTRY_BYTES and the retention settings; the streams and group come from the caller.</summary>
    public static StreamQueueOptions ReadQueue(SettingsReader reader, string stream, string group, string deadStream) => new()
    {
        Stream = stream,
        Group = group,
        DeadStream = deadStream,
        MaxDeliveries = reader.Int("QUEUE_MAX_DELIVERIES", 5, 1, 1000),
        MaxEntryBytes = reader.Long("QUEUE_MAX_ENTRY_BYTES", StreamQueueOptions.DefaultMaxEntryBytes, 1024, 512L * 1024 * 1024),
        Retention = new StreamRetention
        {
            MaxAge = reader.Duration("QUEUE_RETENTION_MAX_AGE", TimeSpan.FromDays(1), TimeSpan.Zero, TimeSpan.FromDays(365)),
            MaxLength = reader.Long("QUEUE_RETENTION_MAX_LENGTH", 10_000, 0, long.MaxValue),
            TrimInterval = reader.Duration("QUEUE_TRIM_INTERVAL", TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(1), TimeSpan.FromDays(1)),
        },
    };
}
