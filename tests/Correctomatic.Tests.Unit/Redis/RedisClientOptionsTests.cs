using System.Net;
using Correctomatic.Shared.Configuration;
using Correctomatic.Shared.Redis;
using Microsoft.Extensions.Configuration;

namespace Correctomatic.Tests.Unit.Redis;

public sealed class RedisClientOptionsTests
{
    private static (RedisClientOptions Options, SettingsReader Reader) Read(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build();
        var reader = new SettingsReader(configuration);
        return (RedisSettings.Read(reader, "starter"), reader);
    }

    [Fact]
    public void Read_Defaults_LocalRedisAndSaneTimeouts()
    {
        var (options, reader) = Read();
        Assert.Empty(reader.Errors);
        Assert.Equal("redis://127.0.0.1:6379", options.Endpoint.ToString());
        Assert.Equal(TimeSpan.FromSeconds(5), options.ConnectTimeout);
        Assert.StartsWith("starter-", options.ClientName, StringComparison.Ordinal);
        Assert.DoesNotContain(' ', options.ClientName);
        Assert.Equal(0, options.WaitReplicas);
    }

    [Fact]
    public void ToConfigurationOptions_Settings_MapTimeoutsNameAndReplicaWait()
    {
        var (options, reader) = Read(("REDIS_URL", "redis://:pw@h:6380/1"), ("REDIS_COMMAND_TIMEOUT", "3s"), ("REDIS_CONNECT_TIMEOUT", "2s"),
            ("REDIS_WAIT_REPLICAS", "1"), ("REDIS_WAIT_TIMEOUT", "250ms"));
        Assert.Empty(reader.Errors);

        var library = options.ToConfigurationOptions("-read", TimeSpan.FromSeconds(5));

        Assert.Equal((3000 + 5000, 3000 + 5000, 2000, 1, "pw"), (library.SyncTimeout, library.AsyncTimeout, library.ConnectTimeout, library.DefaultDatabase, library.Password));
        Assert.False(library.AbortOnConnectFail);
        Assert.EndsWith("-read", library.ClientName, StringComparison.Ordinal);
        Assert.Equal((1, TimeSpan.FromMilliseconds(250)), (options.WaitReplicas, options.WaitTimeout));
        Assert.DoesNotContain("pw", options.Endpoint.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_BadValues_ReportsEachSettingByNameWithoutThePassword()
    {
        var (_, reader) = Read(("REDIS_URL", "redis://u:hunter2@host:6379/x"), ("REDIS_COMMAND_TIMEOUT", "soon"),
            ("REDIS_TLS_CA_FILE", "/no/such/ca.pem"), ("REDIS_WAIT_REPLICAS", "-1"));

        var all = string.Join("\n", reader.Errors);
        Assert.Equal(4, reader.Errors.Count);
        Assert.Contains("REDIS_WAIT_REPLICAS", all, StringComparison.Ordinal);
        Assert.Contains("REDIS_URL", all, StringComparison.Ordinal);
        Assert.Contains("REDIS_COMMAND_TIMEOUT", all, StringComparison.Ordinal);
        Assert.Contains("REDIS_TLS_CA_FILE", all, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", all, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadQueue_Settings_ReadsDeliveriesAndRetention()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["QUEUE_MAX_DELIVERIES"] = "7",
            ["QUEUE_RETENTION_MAX_AGE"] = "2h",
            ["QUEUE_RETENTION_MAX_LENGTH"] = "500",
            ["QUEUE_MAX_ENTRY_BYTES"] = "4096",
        }).Build();
        var reader = new SettingsReader(configuration);

        var options = RedisSettings.ReadQueue(reader, "p:pending", "starter", "p:dead");

        Assert.Empty(reader.Errors);
        Assert.Equal((7, TimeSpan.FromHours(2), 500L), (options.MaxDeliveries, options.Retention.MaxAge, options.Retention.MaxLength));
        Assert.Equal(4096, options.MaxEntryBytes);
        Assert.NotEqual(options.Consumer, RedisSettings.ReadQueue(reader, "p:pending", "starter", "p:dead").Consumer);
    }

    [Fact]
    public void ToConfigurationOptions_Rediss_IsTlsWithTheHostAsServerName()
    {
        var options = Library(RedisEndpoint.Parse("rediss://cache.example:6380"));
        Assert.True(options.Ssl);
        Assert.Equal("cache.example", options.SslHost);
    }

    [Fact]
    public void ToConfigurationOptions_UnixSocket_MapsToTheLibrarysUnixEndpoint()
    {
        var endpoint = RedisEndpoint.Parse("unix:///run/redis/redis.sock?db=2");
        Assert.Equal(("/run/redis/redis.sock", 2), (endpoint.Hosts[0], endpoint.Database));
        var options = Library(endpoint);
        Assert.Equal(2, options.DefaultDatabase);
        Assert.IsType<System.Net.Sockets.UnixDomainSocketEndPoint>(Assert.Single(options.EndPoints));
    }

    [Fact]
    public void ToConfigurationOptions_Sentinel_ReadsSentinelsServiceAndCredentials()
    {
        var endpoint = RedisEndpoint.Parse("redis+sentinel://app:pw@10.0.0.1:26379,sentinel-b/mymaster");
        Assert.Equal(["10.0.0.1:26379", "sentinel-b:26379"], endpoint.Hosts);
        var options = Library(endpoint);
        Assert.Equal("mymaster", options.ServiceName);
        Assert.Equal(("app", "pw"), (options.User, options.Password));
        Assert.Equal(2, options.EndPoints.Count);
        Assert.Equal(new DnsEndPoint("sentinel-b", 26379), options.EndPoints[1]);
    }


    private static StackExchange.Redis.ConfigurationOptions Library(RedisEndpoint endpoint) => new RedisClientOptions { Endpoint = endpoint }.ToConfigurationOptions();

    [Fact]
    public void ToConfigurationOptions_LoggerFactory_IsTheLibrarysLogger()
    {
        using var loggers = new Microsoft.Extensions.Logging.LoggerFactory();
        var options = RedisClientOptions.FromUrl("redis://127.0.0.1:6379") with { LoggerFactory = loggers };

        Assert.Same(loggers, options.ToConfigurationOptions().LoggerFactory);
        Assert.Same(loggers, options.ToConfigurationOptions("-read", TimeSpan.FromSeconds(5)).LoggerFactory);
    }
}
