using Correctomatic.Shared.Configuration;
using Correctomatic.Shared.Contracts;
using Correctomatic.Shared.Docker;
using Correctomatic.Shared.Redis;
using Correctomatic.Starter;
using Correctomatic.Tests.Integration.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace Correctomatic.Tests.Integration.Starter;

/// <summary>
/// A real starter (the same composition as the service) on the fixture's redis-server and the real Docker engine, with
/// its own queue prefix. Disposing stops every worker and removes every container carrying the prefix's managed label.
/// </summary>
public sealed class StarterHarness : IAsyncDisposable
{
    private readonly List<(StarterWorker Worker, CancellationTokenSource Stop)> _workers = [];

    private StarterHarness(StarterFixture fixture, IReadOnlyDictionary<string, string> overrides)
    {
        Prefix = fixture.NextPrefix();
        var values = new Dictionary<string, string?>
        {
            ["QUEUE_PREFIX"] = Prefix,
            ["DOCKER_HOST"] = DockerEngine.Host,
            ["SUBMISSIONS_DIR"] = fixture.SubmissionsDir,
            ["MAX_FILE_BYTES"] = "4096",
            ["STARTER_READ_BLOCK"] = "200ms",
            ["STARTER_RECLAIM_INTERVAL"] = "200ms",
            ["STARTER_RECLAIM_MIN_IDLE"] = "1s",
            ["JOB_TIMEOUT"] = "60s",
        };
        foreach (var (key, value) in overrides)
        {
            values[key] = value;
        }

        var reader = new SettingsReader(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
        Settings = StarterSettings.Read(reader);
        reader.ThrowIfInvalid();
        Redis = TestRedis.Connect(fixture.Redis.UnixUrl, "starter-test");
        Docker = DockerClient.Create(DockerEngine.Host);
    }

    public string Prefix { get; }
    public StarterSettings Settings { get; }
    public StreamNames Streams => Settings.Common.Streams;
    public RedisConnections Redis { get; }
    public IDockerClient Docker { get; }
    public string HostId { get; private set; } = "";

    public static async Task<StarterHarness> CreateAsync(StarterFixture fixture, IReadOnlyDictionary<string, string>? overrides = null)
    {
        var harness = new StarterHarness(fixture, overrides ?? new Dictionary<string, string>());
        harness.HostId = await StarterComposition.ResolveDockerHostIdAsync(harness.Settings, harness.Docker);
        return harness;
    }

    public IStreamQueue NewQueue(string? consumer = null) => new StreamQueue(Redis, StarterComposition.DefaultQueueOptions(Settings) with
    {
        Consumer = consumer ?? StreamQueueOptions.UniqueConsumerName(),
    });

    /// <summary>Starts a worker (as the hosted service would) and returns it.</summary>
    public async Task<StarterWorker> StartWorkerAsync(StarterHooks? hooks = null)
    {
        var worker = StarterComposition.CreateWorker(Settings, NewQueue(), Docker, HostId, TimeProvider.System, NullLoggerFactory.Instance, hooks);
        var stop = new CancellationTokenSource();
        _workers.Add((worker, stop));
        await worker.StartAsync(stop.Token);
        return worker;
    }

    public Task<string> PushAsync(string data, string? token = null)
    {
        var fields = new List<KeyValuePair<string, string>> { new(StreamFields.Data, data) };
        if (token is not null)
        {
            fields.Add(new(StreamFields.Token, token));
        }

        return Redis.XAddAsync(Streams.Pending, fields);
    }

    /// <summary>Waits until <paramref name="stream"/> holds at least <paramref name="count"/> entries; fails the test after the timeout.</summary>
    public async Task<IReadOnlyList<StreamEntry>> WaitForAsync(string stream, int count = 1, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var entries = await Redis.XRangeAsync(stream);
            if (entries.Count >= count)
            {
                return entries;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{stream} has {entries.Count} entries, expected {count}; " + await DescribeAsync());
            }

            await Task.Delay(50);
        }
    }

    public async Task<string> DescribeAsync()
    {
        var parts = new List<string>();
        foreach (var stream in Streams.All)
        {
            parts.Add($"{stream}={await Redis.XLenAsync(stream)}");
        }

        return string.Join(", ", parts);
    }

    /// <summary>Our containers for a job (by label, all states).</summary>
    public Task<IReadOnlyList<ContainerSummary>> ContainersOfJobAsync(string jobId) =>
        Docker.ListContainersAsync([ContainerLabels.ManagedFilter(Prefix), $"{ContainerLabels.JobId}={jobId}"]);

    /// <summary>Runs a command inside a container with the docker CLI (an independent reference).</summary>
    public static async Task<string> ExecAsync(string containerId, params string[] command)
    {
        var result = await DockerEngine.CliAsync(["exec", containerId, .. command]);
        Assert.True(result.ExitCode == 0, result.Describe());
        return result.Stdout.Trim();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (worker, stop) in _workers)
        {
            await stop.CancelAsync();
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await worker.StopAsync(grace.Token);
            worker.Dispose();
            stop.Dispose();
        }

        foreach (var container in await Docker.ListContainersAsync([ContainerLabels.ManagedFilter(Prefix)]))
        {
            await Docker.RemoveContainerAsync(container.Id, force: true);
        }

        await Redis.DisposeAsync();
        Docker.Dispose();
    }
}
