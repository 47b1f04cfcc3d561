using Correctomatic.Notifier;
using Correctomatic.Shared.Contracts;
using Correctomatic.Shared.Redis;
using Correctomatic.Tests.Integration.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Correctomatic.Tests.Integration.Notifier;

/// <summary>
/// Everything a notifier test needs, all real: a private redis-server, a Kestrel receiver on 127.0.0.1, an ES256 key pair,
/// and the notifier wired by <see cref="NotifierServiceExtensions.AddNotifier"/> with short backoff settings.
/// </summary>
public sealed class NotifierFixture : IAsyncDisposable
{
    public const string Prefix = "t:";
    private readonly List<IHost> _hosts = [];

    private NotifierFixture(RedisServer redis, RedisConnections client, CallbackReceiver receiver)
    {
        Redis = redis;
        Client = client;
        Receiver = receiver;
    }

    public RedisServer Redis { get; }
    public RedisConnections Client { get; }
    public CallbackReceiver Receiver { get; }
    public TestKeys Keys { get; } = new();
    public StreamNames Streams { get; } = new(Prefix);

    public static async Task<NotifierFixture> StartAsync()
    {
        var redis = await RedisServer.StartAsync();
        var receiver = await CallbackReceiver.StartAsync();
        return new NotifierFixture(redis, TestRedis.Connect(redis.UnixUrl, "test"), receiver);
    }

    /// <summary>The settings a test notifier runs with: fast backoff, loopback allowed (unless overridden).</summary>
    public Dictionary<string, string> Settings(params (string Key, string Value)[] overrides)
    {
        var settings = new Dictionary<string, string>
        {
            ["REDIS_URL"] = Redis.UnixUrl,
            ["QUEUE_PREFIX"] = Prefix,
            ["CALLBACK_SIGNING_KEY_FILE"] = Keys.PrivateKeyFile,
            ["CALLBACK_ALLOWED_NETWORKS"] = "127.0.0.0/8",
            ["CALLBACK_TIMEOUT"] = "2s",
            ["CALLBACK_BACKOFF_BASE"] = "100ms",
            ["CALLBACK_BACKOFF_MAX"] = "400ms",
            ["CALLBACK_MAX_ATTEMPTS"] = "50",
            ["NOTIFIER_READ_BLOCK"] = "200ms",
            ["NOTIFIER_RECLAIM_IDLE"] = "1500ms",
            ["NOTIFIER_RECLAIM_INTERVAL"] = "200ms",
            ["NOTIFIER_SHUTDOWN_GRACE"] = "1s",
        };
        foreach (var (key, value) in overrides)
        {
            settings[key] = value;
        }

        return settings;
    }

    /// <summary>Starts a notifier in this process (the real wiring) and returns its host; it is stopped at dispose.</summary>
    public async Task<IHost> StartNotifierAsync(params (string Key, string Value)[] overrides)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(Settings(overrides).Select(kv => new KeyValuePair<string, string?>(kv.Key, kv.Value)));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.AddNotifier();
        var host = builder.Build();
        await host.StartAsync();
        _hosts.Add(host);
        return host;
    }

    /// <summary>Adds a finished entry, as the completer would, and returns its job id.</summary>
    public async Task<string> AddFinishedAsync(Uri callback, string? jobId = null, string status = "graded")
    {
        jobId ??= "job-" + Guid.NewGuid().ToString("N")[..10];
        var response = status == "graded"
            ? $$"""{"success":true,"work_id":"w-{{jobId}}","job_id":"{{jobId}}","status":"graded","grade":7.98,"comments":["If priests would eat","pebbles from the riveeeer"]}"""
            : $$"""{"success":false,"work_id":"w-{{jobId}}","job_id":"{{jobId}}","status":"{{status}}","error":"The dog ate my correction"}""";
        var data = $$"""{"job_id":"{{jobId}}","callback":"{{callback}}","response":{{response}}}""";
        await Client.XAddAsync(Streams.Finished, [new(StreamFields.Data, data)]);
        return jobId;
    }

    /// <summary>Pending (un-acknowledged) entries of the notifier group.</summary>
    public async Task<long> PendingAsync() =>
        (await Client.ExecuteAsync("XPENDING", Streams.Finished, ConsumerGroups.Notifier))[0].AsInt64();

    public async Task<IReadOnlyList<StreamEntry>> DeadAsync() => await Client.XRangeAsync(Streams.Dead);

    /// <summary>Polls <paramref name="condition"/> until true; fails the test with <paramref name="what"/> after the timeout.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("timed out waiting until " + what);
            }

            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.StopAsync();
            host.Dispose();
        }

        await Receiver.DisposeAsync();
        await Client.DisposeAsync();
        await Redis.DisposeAsync();
        Keys.Dispose();
    }
}
