using System.Text.Json;
using Correctomatic.Notifier.Delivery;
using Correctomatic.Notifier.Worker;
using Correctomatic.Shared.Contracts;
using Correctomatic.Shared.Redis;
using Correctomatic.Tests.Integration.Infrastructure;

namespace Correctomatic.Tests.Integration.Cli;

/// <summary>
/// <c>correctomatic status</c> (issue #16) at each stage of a job's life, run as the real CLI process against a real
/// redis-server and the real engine. The stages are played with the code the services use for them: the queue's read,
/// hand-off, acknowledge and dead-letter (<see cref="StreamQueue"/>), the notifier's attempt history, and a container
/// carrying the starter's labels.
/// </summary>
public sealed class StatusCommandTests : IAsyncLifetime
{
    private StagedDeployment _staged = null!;

    private StreamNames Streams => _staged.Streams;
    private RedisConnections Redis => _staged.Redis;
    private string Host => _staged.DockerHostId;
    private Dictionary<string, string> Settings => _staged.Settings;

    public async Task InitializeAsync() => _staged = await StagedDeployment.StartAsync("status");

    public async Task DisposeAsync() => await _staged.DisposeAsync();

    [Fact]
    public async Task Status_AtEachStageOfADeliveredJob_SaysWhereItIs()
    {
        var starter = Queue(Streams.Pending, ConsumerGroups.Starter, "starter-a");
        var completer = Queue(Streams.Running, ConsumerGroups.Completer(Host), "completer-a");
        var notifier = Queue(Streams.Finished, ConsumerGroups.Notifier, "notifier-a");
        await starter.EnsureGroupAsync();
        var jobId = await Redis.XAddAsync(Streams.Pending, Data(new PendingJob { Image = DockerEngine.BusyboxImage, Callback = "http://127.0.0.1:9/cb", WorkId = "w-1" }));

        var pending = await StatusAsync(jobId);
        Assert.Equal("pending", State(pending));
        Assert.Equal("w-1", pending.GetProperty("work_id").GetString());
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(jobId.Split('-')[0], System.Globalization.CultureInfo.InvariantCulture)),
            pending.GetProperty("timings").GetProperty("queued_at").GetDateTimeOffset());

        // Read by a starter, which creates the container (labels only: no running entry yet).
        var entry = Assert.Single(await starter.ReadAsync(1, TimeSpan.FromSeconds(1)));
        var containerId = await _staged.StartContainerAsync(jobId);
        var starting = await StatusAsync(jobId);
        Assert.Equal("starting", State(starting));
        Assert.Equal("starter-a", starting.GetProperty("starter").GetProperty("consumer").GetString());
        Assert.Equal(1, starting.GetProperty("starter").GetProperty("deliveries").GetInt32());
        Assert.Equal(containerId, starting.GetProperty("container").GetProperty("id").GetString());

        // Handed off to running, as the starter does.
        var startedAt = DateTimeOffset.UtcNow;
        var runningId = await starter.HandOffOwnedAsync(entry.Id, Streams.Running, Data(new RunningJob
        {
            JobId = jobId, WorkId = "w-1", ContainerId = containerId, DockerHost = Host, Image = DockerEngine.BusyboxImage,
            Callback = "http://127.0.0.1:9/cb", QueuedAt = startedAt, StartedAt = startedAt, Deadline = startedAt.AddMinutes(1),
        }));
        var running = await StatusAsync(jobId);
        Assert.Equal("running", State(running));
        Assert.Equal($"running on host {Host} in container {containerId[..12]}", running.GetProperty("summary").GetString());
        Assert.Equal("running", running.GetProperty("container").GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, running.GetProperty("starter").ValueKind);

        // The completer reads it and hands it off to finished; the notifier's first attempt fails and is recorded.
        await completer.EnsureGroupAsync();
        Assert.Equal(runningId, Assert.Single(await completer.ReadAsync(1, TimeSpan.FromSeconds(1))).Id);
        Assert.Equal("completer-a", (await StatusAsync(jobId)).GetProperty("completer").GetProperty("consumer").GetString());
        var timings = JobTimings.Of(startedAt.AddSeconds(-1), startedAt, startedAt.AddMilliseconds(1500));
        var finishedId = await completer.HandOffOwnedAsync(runningId, Streams.Finished, Data(new FinishedJob
        {
            JobId = jobId, Callback = "http://127.0.0.1:9/cb",
            Response = new CorrectionResult { Success = true, JobId = jobId, WorkId = "w-1", Status = JobStatus.Graded, Grade = 7, MaxGrade = 10, Timings = timings },
        }));
        await notifier.EnsureGroupAsync();
        Assert.Single(await notifier.ReadAsync(1, TimeSpan.FromSeconds(1)));
        var history = new RedisAttemptHistory(Redis.Database, _staged.Prefix);
        await history.AppendAsync(jobId, new AttemptOutcome { Attempt = 1, At = DateTimeOffset.UtcNow, Kind = AttemptKind.Retry, StatusCode = 503, Detail = "503 Service Unavailable" }, TimeSpan.FromMinutes(5));
        var finished = await StatusAsync(jobId);
        Assert.Equal("finished", State(finished));
        Assert.False(finished.GetProperty("final").GetBoolean());
        Assert.Equal("graded", finished.GetProperty("verdict").GetProperty("status").GetString());
        Assert.Equal(7, finished.GetProperty("verdict").GetProperty("grade").GetDouble());
        Assert.Equal(1500, finished.GetProperty("timings").GetProperty("duration_ms").GetInt64());
        Assert.Equal(503, Assert.Single(finished.GetProperty("callback").GetProperty("attempts").EnumerateArray()).GetProperty("status").GetInt32());

        // Delivered on the second attempt: recorded, acknowledged (the notifier then deletes the history).
        var deliveredAt = DateTimeOffset.UtcNow;
        await history.AppendAsync(jobId, new AttemptOutcome { Attempt = 2, At = deliveredAt, Kind = AttemptKind.Delivered, StatusCode = 200, Detail = "200 OK" }, TimeSpan.FromMinutes(5));
        Assert.Equal(deliveredAt.ToUnixTimeMilliseconds(), (await StatusAsync(jobId)).GetProperty("timings").GetProperty("delivered_at").GetDateTimeOffset().ToUnixTimeMilliseconds());
        await notifier.AcknowledgeAsync(finishedId);
        await history.DeleteAsync(jobId);
        var delivered = await StatusAsync(jobId);
        Assert.Equal("delivered", State(delivered));
        Assert.True(delivered.GetProperty("final").GetBoolean());
        Assert.Equal("delivered: graded, grade 7 of 10", delivered.GetProperty("summary").GetString());
        Assert.Equal(JsonValueKind.Null, delivered.GetProperty("container").ValueKind);

        var text = await CliProcess.RunAsync(Settings, null, "status", jobId);
        Assert.True(text.ExitCode == 0, text.Describe());
        Assert.Contains("delivered: graded, grade 7 of 10", text.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_DeadInPendingOrAsACallback_SaysDeadWithTheReasonAndTheAttempts()
    {
        var starter = Queue(Streams.Pending, ConsumerGroups.Starter, "starter-b");
        await starter.EnsureGroupAsync();
        var poisonId = await Redis.XAddAsync(Streams.Pending, [new(StreamFields.Data, "not json")]);
        await starter.DeadLetterOwnedAsync(Assert.Single(await starter.ReadAsync(1, TimeSpan.FromSeconds(1))), "data is not JSON");

        var poison = await StatusAsync(poisonId);
        Assert.Equal("dead", State(poison));
        Assert.True(poison.GetProperty("final").GetBoolean());
        Assert.Equal($"dead in {Streams.Pending}: data is not JSON", poison.GetProperty("summary").GetString());
        Assert.Equal(poisonId, Assert.Single(poison.GetProperty("dead").EnumerateArray()).GetProperty("source_id").GetString());

        // A callback the notifier gave up on: its attempts are listed in the dead entry's reason.
        var notifier = Queue(Streams.Finished, ConsumerGroups.Notifier, "notifier-b");
        await notifier.EnsureGroupAsync();
        const string JobId = "1700000000000-0";
        await Redis.XAddAsync(Streams.Finished, Data(new FinishedJob
        {
            JobId = JobId, Callback = "http://127.0.0.1:9/cb",
            Response = new CorrectionResult { Success = false, JobId = JobId, Status = JobStatus.Timeout, Error = "ran past 30 s" },
        }));
        AttemptOutcome[] attempts =
        [
            new() { Attempt = 1, At = DateTimeOffset.UtcNow, Kind = AttemptKind.Retry, Detail = "connection refused" },
            new() { Attempt = 2, At = DateTimeOffset.UtcNow, Kind = AttemptKind.Final, StatusCode = 404, Detail = "404 Not Found" },
        ];
        await notifier.DeadLetterOwnedAsync(Assert.Single(await notifier.ReadAsync(1, TimeSpan.FromSeconds(1))),
            "callback to http://127.0.0.1:9 failed: 404 Not Found; attempts: " + JsonSerializer.Serialize(attempts));

        var dead = await StatusAsync(JobId);
        Assert.Equal("dead", State(dead));
        Assert.Equal($"dead in {Streams.Finished}: callback to http://127.0.0.1:9 failed: 404 Not Found (verdict was timeout: ran past 30 s)",
            dead.GetProperty("summary").GetString());
        Assert.False(dead.GetProperty("callback").GetProperty("delivered").GetBoolean());
        Assert.Equal([1, 2], dead.GetProperty("callback").GetProperty("attempts").EnumerateArray().Select(a => a.GetProperty("attempt").GetInt32()));
    }

    [Fact]
    public async Task Status_UnknownOrMalformedId_SaysSoWithItsOwnExitCode()
    {
        var unknown = await CliProcess.RunAsync(Settings, null, "status", "1-0");
        var malformed = await CliProcess.RunAsync(Settings, null, "status", "work-7");

        Assert.Equal(4, unknown.ExitCode);
        Assert.Contains("unknown job 1-0", unknown.Stderr, StringComparison.Ordinal);
        Assert.Equal("", unknown.Stdout);
        Assert.Equal(2, malformed.ExitCode);
        Assert.Contains("not a job id", malformed.Stderr, StringComparison.Ordinal);
    }

    private async Task<JsonElement> StatusAsync(string jobId)
    {
        var run = await CliProcess.RunAsync(Settings, null, "status", jobId, "--json");
        Assert.True(run.ExitCode == 0, run.Describe());
        using var document = JsonDocument.Parse(run.Stdout);
        return document.RootElement.Clone();
    }

    private static string? State(JsonElement status) => status.GetProperty("state").GetString();

    private StreamQueue Queue(string stream, string group, string consumer) => _staged.Queue(stream, group, consumer);

    private static KeyValuePair<string, string>[] Data<T>(T document) => [new(StreamFields.Data, ContractJson.Serialize(document))];
}
