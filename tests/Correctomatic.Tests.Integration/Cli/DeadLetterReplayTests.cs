using Correctomatic.Shared.Contracts;
using Correctomatic.Tests.Integration.Infrastructure;
using Correctomatic.Tests.Integration.Notifier;

namespace Correctomatic.Tests.Integration.Cli;

/// <summary>
/// <c>dead-letters replay</c> makes a dead job complete (issue #8): a callback the receiver refused for good goes to
/// <c>dead</c>; once the receiver is fixed, replaying it through the real CLI gets it delivered by the real notifier.
/// </summary>
public sealed class DeadLetterReplayTests
{
    [Fact]
    public async Task Replay_CallbackThatDied_IsDeliveredOnceTheReceiverAccepts()
    {
        await using var fixture = await NotifierFixture.StartAsync();
        fixture.Receiver.Script("/grades", 400); // a final answer: no retry, straight to dead; 200 afterwards
        await fixture.StartNotifierAsync();
        var jobId = await fixture.AddFinishedAsync(fixture.Receiver.Url("/grades"));
        await NotifierFixture.EventuallyAsync(async () => (await fixture.DeadAsync()).Count == 1, "the refused callback is dead-lettered");
        var dead = (await fixture.DeadAsync()).Single();

        var replay = await CliProcess.RunAsync(
            new Dictionary<string, string> { ["REDIS_URL"] = fixture.Redis.UnixUrl, ["QUEUE_PREFIX"] = NotifierFixture.Prefix }, null,
            "dead-letters", "replay", dead.Id);
        var received = await fixture.Receiver.WaitForAsync(2, "/grades");

        Assert.True(replay.ExitCode == 0, replay.Describe());
        Assert.Equal(fixture.Streams.Finished, dead.Field(StreamFields.Source));
        Assert.Equal([jobId, jobId], received.Select(r => r.IdempotencyKey));
        Assert.Equal([400, 200], received.Select(r => r.StatusSent));
        Assert.Empty(await fixture.DeadAsync());
        await NotifierFixture.EventuallyAsync(async () => await fixture.PendingAsync() == 0, "the replayed entry is acknowledged");
    }
}
