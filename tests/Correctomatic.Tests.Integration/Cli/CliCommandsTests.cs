using System.Text;
using Correctomatic.Shared.Contracts;
using Correctomatic.Shared.Redis;
using Correctomatic.Shared.Schemas;
using Correctomatic.Tests.Integration.Infrastructure;

namespace Correctomatic.Tests.Integration.Cli;

/// <summary>The operator commands against a real redis-server (issue #8), run as the real CLI process.</summary>
public sealed class CliCommandsTests : IAsyncLifetime
{
    private const string Prefix = "clitest:";
    private readonly StreamNames _streams = new(Prefix);
    private RedisServer _server = null!;
    private RedisConnections _redis = null!;

    private Dictionary<string, string> Settings => new() { ["REDIS_URL"] = _server.UnixUrl, ["QUEUE_PREFIX"] = Prefix };

    public async Task InitializeAsync()
    {
        _server = await RedisServer.StartAsync();
        _redis = TestRedis.Connect(_server.UnixUrl);
    }

    public async Task DisposeAsync()
    {
        await _redis.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Submit_FileAndParams_PushesAnEntryThatValidatesAgainstPendingSchema()
    {
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, "echo hello\n");

        var run = await CliProcess.RunAsync(Settings, null, "submit", "--image", "correctomatic/grader-shell", "--callback", "http://127.0.0.1:9/cb",
            "--file", file, "--work-id", "w-1", "--param", "EXPECTED=hello", "--timeout-seconds", "5");
        var entries = await _redis.XRangeAsync(_streams.Pending);

        Assert.True(run.ExitCode == 0, run.Describe());
        var entry = Assert.Single(entries);
        Assert.Equal(entry.Id, run.Stdout.Trim());
        var data = entry.Field(StreamFields.Data)!;
        Assert.Empty(SchemaCatalog.Default.Validate(SchemaName.Pending, data));
        var job = ContractJson.Deserialize<PendingJob>(data);
        Assert.Equal("echo hello\n", Encoding.UTF8.GetString(Convert.FromBase64String(job.FileContent!)));
        Assert.Equal(["EXPECTED=hello"], job.Params);
        Assert.Equal(5, job.Limits!.TimeoutSeconds);
    }

    [Fact]
    public async Task Submit_BatchDirectory_PushesOneValidJobPerFile()
    {
        var dir = Directory.CreateTempSubdirectory("ct-batch-");
        foreach (var name in new[] { "alice.sh", "bob.sh", "carol.sh" })
        {
            await File.WriteAllTextAsync(Path.Combine(dir.FullName, name), "echo " + name);
        }

        var run = await CliProcess.RunAsync(Settings, null, "submit", "--image", "g", "--callback", "https://lms.example/cb", "--batch", dir.FullName, "--json");
        var entries = await _redis.XRangeAsync(_streams.Pending);

        Assert.True(run.ExitCode == 0, run.Describe());
        Assert.Equal(["alice.sh", "bob.sh", "carol.sh"], entries.Select(e => ContractJson.Deserialize<PendingJob>(e.Field(StreamFields.Data)!).WorkId));
        Assert.All(entries, e => Assert.Empty(SchemaCatalog.Default.Validate(SchemaName.Pending, e.Field(StreamFields.Data)!)));
    }

    [Fact]
    public async Task Submit_InvalidJob_PushesNothingAndSaysWhy()
    {
        var run = await CliProcess.RunAsync(Settings, "x", "submit", "--image", "g", "--callback", "ftp://nope", "--file", "-");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("pending.json", run.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, await _redis.XLenAsync(_streams.Pending));
    }

    [Fact]
    public async Task ResetQueues_WithoutConfirmation_DeletesNothing_WithTypedPrefix_DeletesAll()
    {
        await _redis.XAddAsync(_streams.Pending, [new("data", "{}")]);
        await _redis.ExecuteAsync(["XGROUP", "CREATE", _streams.Finished, "notifier", "0", "MKSTREAM"]);
        await _redis.ExecuteAsync(["SET", "other:key", "kept"]);

        var refused = await CliProcess.RunAsync(Settings, "no\n", "reset-queues");
        var keysAfterRefusal = await _redis.ExecuteAsync(["EXISTS", _streams.Pending, _streams.Finished]);
        var confirmed = await CliProcess.RunAsync(Settings, Prefix + "\n", "reset-queues");

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("nothing deleted", refused.Stdout, StringComparison.Ordinal);
        Assert.Equal(2, keysAfterRefusal.AsInt64());
        Assert.True(confirmed.ExitCode == 0, confirmed.Describe());
        Assert.Contains("deleted 2 key(s)", confirmed.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, (await _redis.ExecuteAsync(["EXISTS", _streams.Pending, _streams.Finished])).AsInt64());
        Assert.Equal("kept", (await _redis.ExecuteAsync(["GET", "other:key"])).AsString());
    }

    [Fact]
    public async Task DeadLetters_Replay_RequeuesOriginalFieldsIntoTheirStream_AndRemovesTheDeadEntry()
    {
        await _redis.XAddAsync(_streams.Dead, [new("data", "{\"job_id\":\"1-0\"}"), new("token", "t"), new(StreamFields.Reason, "callback answered 400"),
            new(StreamFields.Source, _streams.Finished), new(StreamFields.SourceId, "1-0")]);
        var deadId = (await _redis.XRangeAsync(_streams.Dead)).Single().Id;

        var list = await CliProcess.RunAsync(Settings, null, "dead-letters", "list");
        var replay = await CliProcess.RunAsync(Settings, null, "dead-letters", "replay", deadId);
        var requeued = await _redis.XRangeAsync(_streams.Finished);

        Assert.Contains("callback answered 400", list.Stdout, StringComparison.Ordinal);
        Assert.True(replay.ExitCode == 0, replay.Describe());
        var entry = Assert.Single(requeued);
        Assert.Equal(new Dictionary<string, string> { ["data"] = "{\"job_id\":\"1-0\"}", ["token"] = "t" }, entry.Fields);
        Assert.Equal(0, await _redis.XLenAsync(_streams.Dead));
    }

    [Fact]
    public async Task DeadLetters_ReplayUnknownId_FailsClearly()
    {
        var replay = await CliProcess.RunAsync(Settings, null, "dead-letters", "replay", "99-0");

        Assert.Equal(1, replay.ExitCode);
        Assert.Contains("no entry 99-0", replay.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Queues_Json_ReportsLengthPendingAndConsumers()
    {
        await _redis.XAddAsync(_streams.Pending, [new("data", "{}")]);
        await _redis.XAddAsync(_streams.Pending, [new("data", "{}")]);
        await _redis.ExecuteAsync(["XGROUP", "CREATE", _streams.Pending, ConsumerGroups.Starter, "0"]);
        await _redis.ExecuteAsync(["XREADGROUP", "GROUP", ConsumerGroups.Starter, "starter-1", "COUNT", "1", "STREAMS", _streams.Pending, ">"]);

        var run = await CliProcess.RunAsync(Settings, null, "queues", "--json");

        Assert.True(run.ExitCode == 0, run.Describe());
        using var doc = System.Text.Json.JsonDocument.Parse(run.Stdout);
        var pending = doc.RootElement.EnumerateArray().Single(s => s.GetProperty("stream").GetString() == _streams.Pending);
        Assert.Equal(2, pending.GetProperty("length").GetInt64());
        var group = pending.GetProperty("groups").EnumerateArray().Single();
        Assert.Equal(1, group.GetProperty("pending").GetInt64());
        Assert.Equal(1, group.GetProperty("lag").GetInt64());
        Assert.Equal("starter-1", group.GetProperty("consumers").EnumerateArray().Single().GetProperty("name").GetString());
        Assert.False(doc.RootElement.EnumerateArray().Single(s => s.GetProperty("stream").GetString() == _streams.Dead).GetProperty("exists").GetBoolean());
    }

    [Fact]
    public async Task BadRedisUrl_StopsWithTheSettingNamed()
    {
        var run = await CliProcess.RunAsync(new Dictionary<string, string> { ["REDIS_URL"] = "http://nope" }, null, "queues");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("REDIS_URL", run.Stderr, StringComparison.Ordinal);
    }
}
