using System.Globalization;
using System.Text.Json;
using Correctomatic.Completer;
using Correctomatic.Shared.Configuration;
using Correctomatic.Shared.Contracts;
using Correctomatic.Shared.Docker;
using Correctomatic.Tests.Integration.Infrastructure;

namespace Correctomatic.Tests.Integration.Completer;

/// <summary>
/// One completer test's world: a queue prefix of its own (so its containers and streams are its alone), a private
/// redis-server, and a Docker engine. Plays the starter (issue #5, written in parallel): creates labelled containers and
/// running entries exactly as the starter hands them off, so each test decides the order things happen in.
/// </summary>
internal sealed class CompleterHarness : IAsyncDisposable
{
    private static long s_jobCounter;
    private readonly bool _ownsRedis;

    private CompleterHarness(RedisServer redis, bool ownsRedis, DockerClient docker, string dockerHost, string hostId, string prefix)
    {
        Redis = redis;
        _ownsRedis = ownsRedis;
        Docker = docker;
        DockerHost = dockerHost;
        HostId = hostId;
        Prefix = prefix;
    }

    public RedisServer Redis { get; }
    public DockerClient Docker { get; }
    public string DockerHost { get; }
    public string HostId { get; }
    public string Prefix { get; }
    public StreamNames Streams => new(Prefix);

    /// <param name="redis">A redis-server shared with another harness (two Docker hosts, one Redis); owned when null.</param>
    /// <param name="prefix">The queue prefix; a new one when null.</param>
    /// <param name="hostId">DOCKER_HOST_ID; the engine's id when null. Two engines on one machine share /etc/docker/key.json,
    /// hence the same engine id: they need explicit ids (README "Completer").</param>
    public static async Task<CompleterHarness> StartAsync(string? dockerHost = null, RedisServer? redis = null, string? prefix = null,
        string? hostId = null)
    {
        dockerHost ??= DockerEngine.Host;
        if (dockerHost == DockerEngine.Host)
        {
            await DockerEngine.RequireAsync();
        }

        var docker = DockerClient.Create(dockerHost);
        hostId ??= (await docker.GetInfoAsync()).Id;
        var ownsRedis = redis is null;
        redis ??= await RedisServer.StartAsync();
        return new CompleterHarness(redis, ownsRedis, docker, dockerHost, hostId, prefix ?? $"ct-{Guid.NewGuid():N}"[..15] + ":");
    }

    public CompleterSettings Settings(Func<CompleterSettings, CompleterSettings>? tweak = null)
    {
        var settings = new CompleterSettings
        {
            Common = new CommonSettings { RedisUrl = Redis.UnixUrl, DockerHost = DockerHost, QueuePrefix = Prefix },
            DockerHostId = HostId,
            ConsumerName = "test-" + Guid.NewGuid().ToString("N")[..8],
            SweepInterval = TimeSpan.FromMilliseconds(500),
            ReclaimIdle = TimeSpan.FromSeconds(3),
            OrphanGrace = TimeSpan.FromMinutes(5),
        };
        return tweak is null ? settings : tweak(settings);
    }

    /// <summary>Creates (and by default starts) a container running <paramref name="script"/> with sh, labelled as the starter labels it.</summary>
    public async Task<TestJob> CreateJobAsync(string script, TimeSpan? timeout = null, long? memoryMb = null, bool start = true,
        string image = DockerEngine.BusyboxImage, IReadOnlyList<string>? env = null, LogConfig? logConfig = null)
    {
        var now = DateTimeOffset.UtcNow;
        var jobId = $"{now.ToUnixTimeMilliseconds()}-{Interlocked.Increment(ref s_jobCounter)}";
        var workId = "work-" + jobId;
        var deadline = now + (timeout ?? TimeSpan.FromSeconds(60));
        var memory = memoryMb ?? 128;
        var spec = new ContainerSpec
        {
            Image = image,
            Name = ContainerLabels.ContainerName(Prefix, jobId),
            Labels = new Dictionary<string, string>
            {
                [ContainerLabels.Managed] = Prefix,
                [ContainerLabels.JobId] = jobId,
                [ContainerLabels.WorkId] = workId,
                [ContainerLabels.Deadline] = ContainerLabels.FormatDeadline(deadline),
                [ContainerLabels.DockerHost] = HostId,
            },
            Env = env ?? [],
            Cmd = image == DockerEngine.BusyboxImage ? ["sh", "-c", script] : null,
            HostConfig = new ContainerHostConfig { MemoryBytes = memory << 20, MemorySwapBytes = memory << 20, PidsLimit = 64, LogConfig = logConfig },
        };
        var id = await Docker.CreateContainerAsync(spec);
        if (image != DockerEngine.BusyboxImage)
        {
            await Docker.PutFileAsync(id, "/tmp/exercise", System.Text.Encoding.UTF8.GetBytes(script), uid: 1000, gid: 1000);
        }

        if (start)
        {
            await Docker.StartContainerAsync(id);
        }

        return new TestJob(id, new RunningJob
        {
            JobId = jobId,
            WorkId = workId,
            ContainerId = id,
            DockerHost = HostId,
            Image = image,
            Callback = "http://lms.example/cb/" + jobId,
            QueuedAt = now.AddMilliseconds(-50),
            StartedAt = now,
            Deadline = deadline,
            MemoryMb = memory,
        });
    }

    /// <summary>The starter's hand-off: the running entry, written with redis-cli (the reference client). Returns its id.</summary>
    public Task<string> PublishRunningAsync(TestJob job) => PublishRunningAsync(job, []);

    /// <summary>The running entry with more fields after <c>data</c>, as field, value pairs (e.g. what a rerun needs).</summary>
    public async Task<string> PublishRunningAsync(TestJob job, params string[] fields)
    {
        var add = await Redis.CliAsync(["XADD", Streams.Running, "*", StreamFields.Data, ContractJson.Serialize(job.Running), .. fields]);
        Assert.True(add.ExitCode == 0, add.Describe());
        return add.Stdout.Trim();
    }

    /// <summary>
    /// Waits until a completer of this host holds the running entry <paramref name="entryId"/>, as Redis says (read in
    /// the host's group and pending under a consumer), and returns that consumer. The completer hands an entry it read
    /// to the rendezvous in the same step (CompleterWorker.HandleEntryAsync), without another call to Redis.
    /// </summary>
    public async Task<string> WaitUntilHeldAsync(string entryId, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            // --json: [[id, consumer, idle ms, deliveries]] (redis-cli 7).
            var pending = await Redis.CliAsync("--json", "XPENDING", Streams.Running, ConsumerGroups.Completer(HostId), entryId, entryId, "1");
            Assert.True(pending.ExitCode == 0, pending.Describe());
            using var document = JsonDocument.Parse(pending.Stdout);
            if (document.RootElement.GetArrayLength() == 1)
            {
                return document.RootElement[0][1].GetString()!;
            }

            Assert.True(DateTime.UtcNow < until, $"timed out waiting until a completer holds the running entry {entryId}");
            await Task.Delay(50);
        }
    }

    /// <summary>The entries of <c>pending</c>, each as its field map (redis-cli --json).</summary>
    public async Task<IReadOnlyList<IReadOnlyDictionary<string, string>>> ReadPendingAsync()
    {
        var range = await Redis.CliAsync("--json", "XRANGE", Streams.Pending, "-", "+");
        Assert.True(range.ExitCode == 0, range.Describe());
        using var document = JsonDocument.Parse(range.Stdout);
        return document.RootElement.EnumerateArray()
            .Select(e =>
            {
                var values = e[1].EnumerateArray().Select(v => v.GetString()!).ToList();
                return (IReadOnlyDictionary<string, string>)Enumerable.Range(0, values.Count / 2).ToDictionary(i => values[2 * i], i => values[(2 * i) + 1]);
            })
            .ToList();
    }

    public async Task<IReadOnlyList<FinishedJob>> ReadFinishedAsync()
    {
        // --json: one JSON array of [id, [field, value, ...]] pairs (redis-cli 7).
        var range = await Redis.CliAsync("--json", "XRANGE", Streams.Finished, "-", "+");
        Assert.True(range.ExitCode == 0, range.Describe());
        using var document = JsonDocument.Parse(range.Stdout);
        return document.RootElement.EnumerateArray()
            .Select(e => ContractJson.Deserialize<FinishedJob>(e[1][1].GetString()!))
            .ToList();
    }

    /// <summary>Waits until <paramref name="count"/> finished entries exist; fails with what is there after <paramref name="timeout"/>.</summary>
    public async Task<IReadOnlyList<FinishedJob>> WaitForFinishedAsync(int count, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var finished = await ReadFinishedAsync();
            if (finished.Count >= count || DateTime.UtcNow > until)
            {
                Assert.True(finished.Count == count, $"expected {count} finished entries, found {finished.Count}: {string.Join(", ", finished.Select(f => f.JobId + "=" + f.Response.Status))}");
                return finished;
            }

            await Task.Delay(100);
        }
    }

    public async Task<FinishedJob> WaitForOneFinishedAsync(TestJob job, TimeSpan? timeout = null)
    {
        var finished = Assert.Single(await WaitForFinishedAsync(1, timeout));
        Assert.Equal(job.JobId, finished.JobId);
        Assert.Equal(job.Running.Callback, finished.Callback);
        Assert.Equal(job.Running.WorkId, finished.Response.WorkId);
        return finished;
    }

    /// <summary>Entries of <c>running</c> still pending (un-acknowledged) in <paramref name="group"/>.</summary>
    public async Task<long> PendingCountAsync(string group)
    {
        var pending = await Redis.CliAsync("XPENDING", Streams.Running, group);
        Assert.True(pending.ExitCode == 0, pending.Describe());
        return long.Parse(pending.Stdout.Split('\n')[0].Trim(), CultureInfo.InvariantCulture);
    }

    public static async Task WaitUntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < until, "timed out waiting until " + what);
            await Task.Delay(50);
        }
    }

    /// <summary>Polls <paramref name="probe"/> until it gives a value; fails naming <paramref name="what"/> after the timeout.</summary>
    public static async Task<T> WaitForAsync<T>(Func<Task<T?>> probe, string what, TimeSpan? timeout = null)
        where T : class
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            Assert.True(DateTime.UtcNow < until, "timed out waiting for " + what);
            await Task.Delay(50);
        }
    }

    /// <summary>Waits until the container stopped; one already completed and removed counts as stopped.</summary>
    public async Task WaitForExitAsync(TestJob job)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await Docker.WaitContainerAsync(job.ContainerId, cts.Token);
        }
        catch (DockerNoSuchContainerException)
        {
            // removed already
        }
    }

    /// <summary>Every test ends here: the completer removed every container of ours.</summary>
    public async Task AssertNoContainersLeftAsync()
    {
        // The completer removes a container right after its hand-off: give it a moment.
        var until = DateTime.UtcNow.AddSeconds(10);
        var left = await Docker.ListContainersAsync([ContainerLabels.ManagedFilter(Prefix)]);
        while (left.Count > 0 && DateTime.UtcNow < until)
        {
            await Task.Delay(100);
            left = await Docker.ListContainersAsync([ContainerLabels.ManagedFilter(Prefix)]);
        }

        Assert.True(left.Count == 0, $"containers left behind: {string.Join(", ", left.Select(c => (c.Names.Count > 0 ? c.Names[0] : c.Id) + " " + c.State))}");
    }

    public async ValueTask DisposeAsync()
    {
        // A failed test must not leak: remove what carries our prefix (ours alone), then let go of the engine and Redis.
        try
        {
            foreach (var container in await Docker.ListContainersAsync([ContainerLabels.ManagedFilter(Prefix)]))
            {
                await Docker.RemoveContainerAsync(container.Id, force: true);
            }
        }
        catch (DockerUnreachableException)
        {
            // the engine is already gone (second-engine test): its data root is deleted with it
        }

        Docker.Dispose();
        if (_ownsRedis)
        {
            await Redis.DisposeAsync();
        }
    }
}
