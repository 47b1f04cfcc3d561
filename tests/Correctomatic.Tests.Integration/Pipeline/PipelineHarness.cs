using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Correctomatic.Cli.Receiver;
using Correctomatic.Completer;
using Correctomatic.Notifier;
using Correctomatic.Shared.Configuration;
using Correctomatic.Shared.Contracts;
using Correctomatic.Shared.Docker;
using Correctomatic.Shared.Hosting;
using Correctomatic.Shared.Redis;
using Correctomatic.Shared.Schemas;
using Correctomatic.Shared.Signing;
using Correctomatic.Starter;
using Correctomatic.Tests.Integration.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Correctomatic.Tests.Integration.Pipeline;

/// <summary>
/// The whole pipeline in this process, all real (issue #9, "through the whole pipeline: pending → callback"): a private
/// redis-server, a queue prefix and Docker host id of its own, the Starter, Completer and Notifier each built by its
/// service wiring (<c>AddStarter</c>/<c>AddCompleter</c>/<c>AddNotifier</c> on the services' host builder, settings as
/// in-memory configuration), the real Docker engine, and the CLI's callback receiver verifying every signature with
/// the public half of an ES256 pair made here. Dispose stops everything, fails when a container of its prefix is left.
/// </summary>
public sealed class PipelineHarness : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<ReceivedCallback>> _callbacks = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _refused = new();
    private readonly ConcurrentDictionary<string, int> _callbackCounts = new(StringComparer.Ordinal);
    private readonly List<IHost> _hosts = [];
    private readonly string _directory;
    private readonly SigningKey _publicKey;
    private CallbackReceiver? _receiver;

    private PipelineHarness(RedisServer redis, IReadOnlyDictionary<string, string> overrides)
    {
        Redis = redis;
        var id = Guid.NewGuid().ToString("N")[..12];
        Prefix = $"pl-{id}:";
        _directory = Path.Combine(Path.GetTempPath(), "ct-pipeline-" + id);
        Directory.CreateDirectory(_directory);
        using (var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256))
        {
            File.WriteAllText(Path.Combine(_directory, "privateKey.pem"), ecdsa.ExportPkcs8PrivateKeyPem());
            File.WriteAllText(Path.Combine(_directory, "publicKey.pem"), ecdsa.ExportSubjectPublicKeyInfoPem());
        }

        _publicKey = SigningKey.FromPemFile(Path.Combine(_directory, "publicKey.pem"));
        SubmissionsDir = Path.Combine(_directory, "submissions");
        Directory.CreateDirectory(SubmissionsDir);
        var settings = new Dictionary<string, string>
        {
            ["REDIS_URL"] = redis.UnixUrl,
            ["DOCKER_HOST"] = DockerEngine.Host,
            ["QUEUE_PREFIX"] = Prefix,
            // Our own host id: the completer group (completer:<id>) and the docker_host label are this harness's alone,
            // though every helper's tests share the engine (README "Completer").
            ["DOCKER_HOST_ID"] = "pipeline-" + id,
            ["ALLOWED_IMAGES"] = "correctomatic/*",
            ["SUBMISSIONS_DIR"] = SubmissionsDir,
            ["JOB_TIMEOUT"] = "30s",
            ["JOB_MEMORY_MB"] = "256",
            ["STARTER_CONCURRENCY"] = "8",
            ["STARTER_READ_BLOCK"] = "200ms",
            ["STARTER_RECLAIM_INTERVAL"] = "500ms",
            ["STARTER_RECLAIM_MIN_IDLE"] = "10s",
            ["COMPLETER_SWEEP_INTERVAL"] = "500ms",
            ["COMPLETER_RECLAIM_IDLE"] = "10s",
            ["COMPLETER_CONCURRENCY"] = "8",
            ["CALLBACK_SIGNING_KEY_FILE"] = Path.Combine(_directory, "privateKey.pem"),
            ["CALLBACK_ALLOWED_NETWORKS"] = "127.0.0.0/8",
            ["CALLBACK_TIMEOUT"] = "5s",
            ["CALLBACK_BACKOFF_BASE"] = "100ms",
            ["CALLBACK_BACKOFF_MAX"] = "1s",
            ["NOTIFIER_READ_BLOCK"] = "200ms",
            ["NOTIFIER_RECLAIM_IDLE"] = "10s",
            ["NOTIFIER_RECLAIM_INTERVAL"] = "500ms",
            ["NOTIFIER_SHUTDOWN_GRACE"] = "1s",
            // Health and metrics on a free loopback port each (issue #16): harnesses run side by side in one process.
            ["STARTER_HEALTH_LISTEN"] = "http://127.0.0.1:0",
            ["COMPLETER_HEALTH_LISTEN"] = "http://127.0.0.1:0",
            ["NOTIFIER_HEALTH_LISTEN"] = "http://127.0.0.1:0",
            ["METRICS_SAMPLE_INTERVAL"] = "500ms",
        };
        foreach (var (key, value) in overrides)
        {
            settings[key] = value;
        }

        Settings = settings;
        Client = TestRedis.Connect(redis.UnixUrl, "pipeline-test");
        Docker = DockerClient.Create(DockerEngine.Host);
    }

    /// <summary>The queue prefix; also the value of every container's <c>correctomatic.managed</c> label.</summary>
    public string Prefix { get; }
    public StreamNames Streams => new(Prefix);
    public RedisServer Redis { get; }
    public RedisConnections Client { get; }
    public IDockerClient Docker { get; }

    /// <summary>SUBMISSIONS_DIR: where jobs with a <c>file</c> (not <c>file_content</c>) keep their submission.</summary>
    public string SubmissionsDir { get; }

    /// <summary>The settings the three services run with (as environment variables would give them).</summary>
    public IReadOnlyDictionary<string, string> Settings { get; }

    /// <summary>Where the notifier POSTs: the CLI's receiver on 127.0.0.1.</summary>
    public Uri CallbackUrl => new(_receiver!.Address, "callbacks");

    /// <summary>Where each service's health and metrics listen, by service name (starter, completer, notifier).</summary>
    public Uri OperationsAddress(string service) =>
        _hosts.Select(h => h.Services.GetRequiredService<OperationsEndpoint>())
            .Single(e => e.Service == service).Address ?? throw new InvalidOperationException(service + ": no operations listener");

    /// <summary>The three services' log lines, for failure messages.</summary>
    public PipelineLog Log { get; } = new();

    /// <summary>Starts redis-server, the receiver and the three services. <paramref name="overrides"/> replace settings (e.g. JOB_TIMEOUT).</summary>
    public static async Task<PipelineHarness> StartAsync(IReadOnlyDictionary<string, string>? overrides = null)
    {
        await DockerEngine.RequireAsync();
        var harness = new PipelineHarness(await RedisServer.StartAsync(), overrides ?? new Dictionary<string, string>());
        try
        {
            harness._receiver = await CallbackReceiver.StartAsync("http://127.0.0.1:0", harness._publicKey, TimeProvider.System,
                harness.OnVerifiedAsync, harness.OnRefusedAsync);
            await harness.StartServiceAsync(b => b.AddStarter().AddOperations(ServiceIdentity.Starter));
            await harness.StartServiceAsync(b => b.AddCompleter().AddOperations(ServiceIdentity.Completer));
            await harness.StartServiceAsync(b => b.AddNotifier().AddOperations(ServiceIdentity.Notifier));
            return harness;
        }
        catch
        {
            await harness.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Reads the services' settings (with <paramref name="overrides"/> on top) as <paramref name="read"/> does at a service's
    /// start: for running other code, such as the CLI's <c>try</c>, with the same settings.
    /// </summary>
    public T ReadSettings<T>(Func<SettingsReader, T> read, IReadOnlyDictionary<string, string>? overrides = null)
    {
        var values = new Dictionary<string, string>(Settings);
        foreach (var (key, value) in overrides ?? new Dictionary<string, string>())
        {
            values[key] = value;
        }

        var reader = new SettingsReader(new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(kv => new KeyValuePair<string, string?>(kv.Key, kv.Value))).Build());
        var settings = read(reader);
        reader.ThrowIfInvalid();
        return settings;
    }

    /// <summary>A job for <paramref name="image"/> carrying <paramref name="submission"/> as <c>file_content</c>, calling back to this harness.</summary>
    public PendingJob Job(string image, string submission, params string[] parameters) => new()
    {
        Image = image,
        Callback = CallbackUrl.ToString(),
        WorkId = "work-" + Guid.NewGuid().ToString("N")[..8],
        FileContent = Convert.ToBase64String(Encoding.UTF8.GetBytes(submission)),
        Params = parameters,
    };

    /// <summary>As <see cref="Job"/>, but the submission written under <see cref="SubmissionsDir"/> and sent as <c>file</c>.</summary>
    public PendingJob FileJob(string image, string submission, params string[] parameters)
    {
        var path = Path.Combine(SubmissionsDir, Guid.NewGuid().ToString("N") + ".txt");
        File.WriteAllText(path, submission);
        return Job(image, submission, parameters) with { FileContent = null, File = path };
    }

    /// <summary>XADDs <paramref name="job"/> to <c>{prefix}pending</c>, as a producer does; returns the entry id, which is the job id.</summary>
    public async Task<string> SubmitAsync(PendingJob job)
    {
        var jobId = await Client.XAddAsync(Streams.Pending, [new(StreamFields.Data, ContractJson.Serialize(job))]);
        Slot(jobId); // from now on a callback for it is kept even if nobody waits yet
        return jobId;
    }

    /// <summary>
    /// The verified callback of <paramref name="jobId"/>, its body checked against schemas/correctomatic_response.json and
    /// parsed. Fails with the services' last log lines when none comes within <paramref name="timeout"/>.
    /// </summary>
    public async Task<CorrectionResult> WaitForCallbackAsync(string jobId, TimeSpan timeout) =>
        ContractJson.Deserialize<CorrectionResult>(await WaitForCallbackBodyAsync(jobId, timeout));

    /// <summary>As <see cref="WaitForCallbackAsync"/>, but the exact body bytes (as UTF-8) the receiver verified.</summary>
    public async Task<string> WaitForCallbackBodyAsync(string jobId, TimeSpan timeout)
    {
        var arrived = Slot(jobId).Task;
        if (await Task.WhenAny(arrived, Task.Delay(timeout)) != arrived)
        {
            Assert.Fail($"no callback for job {jobId} within {timeout.TotalSeconds} s; refused: [{string.Join("; ", _refused)}]; log:\n{Log.Tail()}");
        }

        var callback = await arrived;
        Assert.False(callback.Duplicate, $"job {jobId}: the first callback seen was marked duplicate");
        var problems = SchemaCatalog.Default.Validate(SchemaName.CorrectomaticResponse, callback.Body);
        Assert.True(problems.Count == 0, $"callback of {jobId} does not validate: {string.Join("; ", problems)}\n{callback.Body}");
        return callback.Body;
    }

    /// <summary>Submits <paramref name="job"/> and waits for its callback: the pipeline's answer for one submission.</summary>
    public async Task<PipelineCallback> RunAsync(PendingJob job, TimeSpan? timeout = null)
    {
        var jobId = await SubmitAsync(job);
        var body = await WaitForCallbackBodyAsync(jobId, timeout ?? TimeSpan.FromSeconds(90));
        var result = ContractJson.Deserialize<CorrectionResult>(body);
        Assert.Equal(jobId, result.JobId);
        Assert.Equal(job.WorkId, result.WorkId);
        return new PipelineCallback(jobId, body, result);
    }

    /// <summary>How many verified callbacks (repeats included) arrived for <paramref name="jobId"/> so far.</summary>
    public int CallbackCount(string jobId) => _callbackCounts.GetValueOrDefault(jobId);

    /// <summary>Every consumer group's pending count on pending, running and finished, as "stream/group" → count (XINFO GROUPS).</summary>
    public async Task<IReadOnlyDictionary<string, long>> GroupPendingCountsAsync()
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var stream in new[] { Streams.Pending, Streams.Running, Streams.Finished })
        {
            if (await Client.XLenAsync(stream) == 0 && (await Client.ExecuteAsync("EXISTS", stream)).AsInt64() == 0)
            {
                continue;
            }

            foreach (var group in (await Client.ExecuteAsync("XINFO", "GROUPS", stream)).AsArray())
            {
                var pairs = group.AsArray();
                string? name = null;
                long pending = 0;
                for (var i = 0; i + 1 < pairs.Length; i += 2)
                {
                    switch (pairs[i].AsString())
                    {
                        case "name": name = pairs[i + 1].AsString(); break;
                        case "pending": pending = pairs[i + 1].AsInt64(); break;
                    }
                }

                counts[stream + "/" + name] = pending;
            }
        }

        return counts;
    }

    /// <summary>The entries of <c>{prefix}dead</c> (jobs no service could finish, callbacks never delivered).</summary>
    public Task<IReadOnlyList<StreamEntry>> DeadLettersAsync() => Client.XRangeAsync(Streams.Dead);

    /// <summary>Containers carrying this harness's managed label, whatever their state.</summary>
    public Task<IReadOnlyList<ContainerSummary>> ContainersAsync() => Docker.ListContainersAsync([ContainerLabels.ManagedFilter(Prefix)]);

    public async ValueTask DisposeAsync()
    {
        // The completer removes each container right after reading it: give jobs still finishing a moment, while it runs.
        var left = await ContainersAsync();
        for (var until = DateTime.UtcNow.AddSeconds(15); left.Count > 0 && DateTime.UtcNow < until; left = await ContainersAsync())
        {
            await Task.Delay(200);
        }

        var stopProblems = new List<string>();
        foreach (var host in Enumerable.Reverse(_hosts))
        {
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try
            {
                await host.StopAsync(grace.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or AggregateException or InvalidOperationException)
            {
                // Keep cleaning up (containers, Redis, keys); the failure is reported below.
                stopProblems.Add(ex.GetType().Name + ": " + ex.Message);
            }

            host.Dispose();
        }

        // Ours alone (the prefix is unique to this harness): never a broad removal on a shared engine.
        foreach (var container in left)
        {
            await Docker.RemoveContainerAsync(container.Id, force: true);
        }

        if (_receiver is not null)
        {
            await _receiver.DisposeAsync();
        }

        await Client.DisposeAsync();
        Docker.Dispose();
        await Redis.DisposeAsync();
        _publicKey.Dispose();
        Directory.Delete(_directory, recursive: true);
        Assert.True(left.Count == 0, $"containers left behind by the pipeline: {string.Join(", ", left.Select(c => c.Id[..12] + " " + c.State))}");
        Assert.True(stopProblems.Count == 0, $"a service did not stop cleanly: {string.Join("; ", stopProblems)}");
        Assert.True(_refused.IsEmpty, $"the receiver refused callbacks: {string.Join("; ", _refused)}");
    }

    private async Task StartServiceAsync(Action<HostApplicationBuilder> addService)
    {
        // The services' own host defaults (ServiceDefaults: clock, shutdown, a failing worker stops the host), with the
        // configuration sources replaced: the test's settings only, never this machine's .env or environment.
        var builder = ServiceDefaults.CreateBuilder([]);
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(InMemory());
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(Log);
        addService(builder);
        var host = builder.Build();
        _hosts.Add(host);
        await host.StartAsync();
    }

    private IEnumerable<KeyValuePair<string, string?>> InMemory() => Settings.Select(kv => new KeyValuePair<string, string?>(kv.Key, kv.Value));

    private TaskCompletionSource<ReceivedCallback> Slot(string jobId) =>
        _callbacks.GetOrAdd(jobId, _ => new TaskCompletionSource<ReceivedCallback>(TaskCreationOptions.RunContinuationsAsynchronously));

    private Task OnVerifiedAsync(ReceivedCallback callback)
    {
        // Delivery is at least once: a repeat (same Idempotency-Key) keeps the first body.
        _callbackCounts.AddOrUpdate(callback.JobId, 1, (_, n) => n + 1);
        Slot(callback.JobId).TrySetResult(callback);
        return Task.CompletedTask;
    }

    private Task OnRefusedAsync(string reason)
    {
        _refused.Enqueue(reason);
        return Task.CompletedTask;
    }
}
