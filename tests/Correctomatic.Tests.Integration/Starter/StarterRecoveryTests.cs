using Correctomatic.Shared.Contracts;
using Correctomatic.Shared.Redis;
using Correctomatic.Starter;
using Microsoft.Extensions.Logging.Abstractions;

namespace Correctomatic.Tests.Integration.Starter;

/// <summary>Crashes, shutdown and backpressure (issue #5: never lose a job, never leak a container).</summary>
public sealed class StarterRecoveryTests(StarterFixture fixture) : IClassFixture<StarterFixture>
{
    private const string Job = """{"image":"correctomatic/grader-shell","callback":"http://a.local/cb","work_id":"w","file_content":"c2xlZXAgMzA="}""";

    [Fact]
    public async Task Worker_StarterDiedBetweenCreateAndHandOff_NoOrphanAndRunningOnce()
    {
        await using var harness = await StarterHarness.CreateAsync(fixture);
        var jobId = await harness.PushAsync(Job);

        // Starter A reads the job, creates the container, then "dies": its hook never returns, so nothing after create
        // runs — no start, no cleanup, no hand-off, no acknowledgement, no renewal (A is a bare processor, not a worker).
        var queueA = harness.NewQueue("starter-a");
        await queueA.EnsureGroupAsync();
        var entry = Assert.Single(await queueA.ReadAsync(1, TimeSpan.FromSeconds(1)));
        var created = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var hooks = new StarterHooks
        {
            AfterCreate = (_, containerId, _) =>
            {
                created.TrySetResult(containerId);
                return new TaskCompletionSource().Task;
            },
        };
        var processorA = StarterComposition.CreateProcessor(harness.Settings, queueA, harness.Docker, harness.HostId, TimeProvider.System,
            NullLoggerFactory.Instance, hooks);
        _ = processorA.ProcessAsync(entry, CancellationToken.None);
        var orphan = await created.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Single(await harness.ContainersOfJobAsync(jobId));

        // Starter B reclaims the idle entry, finds the leftover by name, replaces it, and hands off once.
        await harness.StartWorkerAsync();
        var running = Assert.Single(await harness.WaitForAsync(harness.Streams.Running));
        var job = ContractJson.Deserialize<RunningJob>(running.Field(StreamFields.Data)!);

        Assert.Equal(jobId, job.JobId);
        Assert.NotEqual(orphan, job.ContainerId);
        var containers = await harness.ContainersOfJobAsync(jobId);
        Assert.Equal(job.ContainerId, Assert.Single(containers).Id);
        Assert.Equal("running", containers[0].State);
        await Task.Delay(1500); // longer than min-idle: a second reclaim or hand-off would show now
        Assert.Equal(1, await harness.Redis.XLenAsync(harness.Streams.Running));
        Assert.Equal(0, await harness.Redis.XLenAsync(harness.Streams.Finished));
        Assert.Single(await harness.ContainersOfJobAsync(jobId));
        Assert.Equal(0, (await harness.Redis.ExecuteAsync(["XPENDING", harness.Streams.Pending, ConsumerGroups.Starter]))[0].AsInt64());
    }

    [Fact]
    public async Task Worker_StoppedWithJobInHand_FinishesItAndReadsNoMore()
    {
        await using var harness = await StarterHarness.CreateAsync(fixture);
        var inHand = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var worker = await harness.StartWorkerAsync(new StarterHooks
        {
            AfterCreate = async (_, _, _) =>
            {
                inHand.TrySetResult();
                await release.Task;
            },
        });
        var first = await harness.PushAsync(Job);
        await inHand.Task.WaitAsync(TimeSpan.FromSeconds(30));

        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var stopping = worker.StopAsync(grace.Token);
        await Task.Delay(300);
        await harness.PushAsync(Job);
        Assert.False(stopping.IsCompleted, "the worker must wait for the job in hand");
        release.SetResult();
        await stopping;

        var running = Assert.Single(await harness.Redis.XRangeAsync(harness.Streams.Running));
        Assert.Equal(first, ContractJson.Deserialize<RunningJob>(running.Field(StreamFields.Data)!).JobId);
        var groups = await harness.Redis.Database.StreamGroupInfoAsync(harness.Streams.Pending);
        Assert.Equal(0, groups[0].PendingMessageCount); // the second job was never read: no delivery, nothing to reclaim
        Assert.Equal(1, groups[0].Lag);
    }

    [Fact]
    public async Task Worker_AtRunningContainerCap_StopsReadingUntilOneEnds()
    {
        await using var harness = await StarterHarness.CreateAsync(fixture, new Dictionary<string, string> { ["MAX_RUNNING_CONTAINERS"] = "1" });
        await harness.StartWorkerAsync();

        var first = await harness.PushAsync(Job);
        var running = Assert.Single(await harness.WaitForAsync(harness.Streams.Running));
        await harness.PushAsync(Job);
        await Task.Delay(1500);
        Assert.Equal(1, await harness.Redis.XLenAsync(harness.Streams.Running));
        var groups = await harness.Redis.Database.StreamGroupInfoAsync(harness.Streams.Pending);
        Assert.Equal(1, groups[0].Lag); // not read at all while at the cap

        // The first container ends (as the completer would remove it): the second job is read and started.
        await harness.Docker.RemoveContainerAsync(ContractJson.Deserialize<RunningJob>(running.Field(StreamFields.Data)!).ContainerId);
        var both = await harness.WaitForAsync(harness.Streams.Running, 2);
        Assert.NotEqual(first, ContractJson.Deserialize<RunningJob>(both[1].Field(StreamFields.Data)!).JobId);
    }

    [Fact]
    public async Task Worker_RateLimited_SpacesJobsOut()
    {
        // 20 per minute = one start every 3 s, however long the starter sat idle (StartSpacing). Rejections cost
        // milliseconds, so any spacing is the limiter's.
        await using var harness = await StarterHarness.CreateAsync(fixture, new Dictionary<string, string> { ["STARTER_RATE_LIMIT_PER_MINUTE"] = "20" });
        const string notAllowed = """{"image":"other/image","callback":"http://a.local/cb","file_content":"eA=="}""";
        await harness.StartWorkerAsync();
        await harness.PushAsync(notAllowed); // warms up schema loading and JIT, which would blur the first interval
        await harness.WaitForAsync(harness.Streams.Finished, 1);
        for (var i = 0; i < 3; i++)
        {
            await harness.PushAsync(notAllowed);
        }

        var finished = await harness.WaitForAsync(harness.Streams.Finished, 4, TimeSpan.FromSeconds(60));

        var spread = JobValidator.QueuedAt(finished[3].Id) - JobValidator.QueuedAt(finished[1].Id);
        // Their starts are 3 s apart: 6 s from the first to the third; a second of slack for the rejections' own time.
        Assert.True(spread >= TimeSpan.FromSeconds(5), $"3 jobs at 20/min took {spread}");
    }
}
