using System.Globalization;
using System.Text.RegularExpressions;
using Correctomatic.Shared.Contracts;
using Correctomatic.Tests.Integration.Infrastructure;

namespace Correctomatic.Tests.Integration.Starter;

/// <summary>Faults of Redis that must never wedge the starter (issue #15). A class and a Redis container of its own: it changes the server's ACL.</summary>
public sealed partial class StarterFaultTests(StarterOwnRedisFixture fixture) : IClassFixture<StarterOwnRedisFixture>
{
    private const string Job = """{"image":"correctomatic/grader-shell","callback":"http://a.local/cb","work_id":"w","file_content":"c2xlZXAgMzA="}""";
    private const int Concurrency = 2;

    [Fact]
    public async Task Worker_ReclaimFailsMoreTimesThanItHasSlots_StillReadsAndStartsJobs()
    {
        // A real refusal: the Redis user may not run XAUTOCLAIM (NOPERM), so every reclaim throws. Each failed reclaim
        // used to keep the concurrency slot it had taken.
        await using var harness = await StarterHarness.CreateAsync(fixture, new Dictionary<string, string>
        {
            ["STARTER_CONCURRENCY"] = Concurrency.ToString(CultureInfo.InvariantCulture),
            ["STARTER_RECLAIM_INTERVAL"] = "100ms",
        });
        await CliOkAsync("ACL", "SETUSER", "default", "-xautoclaim");
        try
        {
            await CliOkAsync("CONFIG", "RESETSTAT");
            await harness.StartWorkerAsync();
            var until = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (await RefusedReclaimsAsync() < Concurrency + 1)
            {
                Assert.True(DateTime.UtcNow < until, $"expected {Concurrency + 1} refused XAUTOCLAIM calls, saw {await RefusedReclaimsAsync()}");
                await Task.Delay(50);
            }

            var jobId = await harness.PushAsync(Job);

            var running = Assert.Single(await harness.WaitForAsync(harness.Streams.Running));
            Assert.Equal(jobId, ContractJson.Deserialize<RunningJob>(running.Field(StreamFields.Data)!).JobId);
            Assert.Equal("running", Assert.Single(await harness.ContainersOfJobAsync(jobId)).State);
            Assert.True(await RefusedReclaimsAsync() >= Concurrency + 1);
        }
        finally
        {
            await CliOkAsync("ACL", "SETUSER", "default", "+@all");
        }
    }

    [Fact]
    public async Task Worker_70MegabyteEntryAheadOfAValidJob_DeadLetteredAndTheValidJobStarts()
    {
        await using var harness = await StarterHarness.CreateAsync(fixture);
        var big = await harness.Redis.XAddAsync(harness.Streams.Pending, [new(StreamFields.Data, new string('x', 70 * 1024 * 1024))]);
        var jobId = await harness.PushAsync(Job);
        await harness.StartWorkerAsync();

        var running = Assert.Single(await harness.WaitForAsync(harness.Streams.Running));

        Assert.Equal(jobId, ContractJson.Deserialize<RunningJob>(running.Field(StreamFields.Data)!).JobId);
        var dead = Assert.Single(await harness.Redis.XRangeAsync(harness.Streams.Dead));
        Assert.Equal(big, dead.Field(StreamFields.SourceId));
        Assert.Contains("over QUEUE_MAX_ENTRY_BYTES", dead.Field(StreamFields.Reason), StringComparison.Ordinal);
    }

    private async Task CliOkAsync(params string[] arguments)
    {
        var result = await fixture.Redis.CliAsync(arguments);
        Assert.True(result.ExitCode == 0 && !result.Stdout.StartsWith("ERR", StringComparison.Ordinal), result.Describe());
    }

    /// <summary>XAUTOCLAIM calls refused by the ACL since the last CONFIG RESETSTAT (INFO commandstats, Redis 7: rejected_calls).</summary>
    private async Task<long> RefusedReclaimsAsync()
    {
        var info = await fixture.Redis.CliAsync("INFO", "commandstats");
        var match = XautoclaimStats().Match(info.Stdout);
        return match.Success ? long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
    }

    [GeneratedRegex(@"cmdstat_xautoclaim:.*rejected_calls=(\d+)")]
    private static partial Regex XautoclaimStats();
}
