using Microsoft.Extensions.Time.Testing;
using Correctomatic.Completer.Rendezvous;
using Correctomatic.Shared.Contracts;

namespace Correctomatic.Tests.Unit.Completer;

public sealed class JobRendezvousTests
{
    private static readonly TimeSpan s_grace = TimeSpan.FromMinutes(10);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    private JobRendezvous CreateSut() => new(_clock, s_grace);

    private static RunningJob Job(string containerId) => new()
    {
        JobId = "job-" + containerId,
        ContainerId = containerId,
        DockerHost = "h1",
        Image = "img",
        Callback = "http://cb",
        QueuedAt = DateTimeOffset.UnixEpoch,
        StartedAt = DateTimeOffset.UnixEpoch,
        Deadline = DateTimeOffset.UnixEpoch,
    };

    [Fact]
    public void OnContainerFinished_AfterTheMessage_CompletesOnce()
    {
        var sut = CreateSut();

        var first = sut.OnRunningEntry("1-0", Job("c1"));
        var second = sut.OnContainerFinished("c1");
        var again = sut.OnContainerFinished("c1");

        Assert.Equal(RendezvousKind.Wait, first.Kind);
        Assert.Equal(RendezvousKind.Complete, second.Kind);
        Assert.Equal(new Pairing("c1", "1-0", Job("c1")), second.Pairing);
        Assert.Equal(RendezvousKind.Ignore, again.Kind);
    }

    [Fact]
    public void OnRunningEntry_AfterTheContainerFinished_CompletesOnce()
    {
        var sut = CreateSut();

        var first = sut.OnContainerFinished("c1");
        _clock.Advance(TimeSpan.FromMinutes(9));
        var second = sut.OnRunningEntry("1-0", Job("c1"));
        var again = sut.OnRunningEntry("1-0", Job("c1"));

        Assert.Equal(RendezvousKind.Wait, first.Kind);
        Assert.Equal(RendezvousKind.Complete, second.Kind);
        Assert.Equal(RendezvousKind.Ignore, again.Kind);
        Assert.Empty(sut.TakeOrphans());
    }

    [Fact]
    public void OnRunningEntry_SecondEntryForTheSameContainer_IsADuplicate()
    {
        var sut = CreateSut();
        sut.OnRunningEntry("1-0", Job("c1"));

        Assert.Equal(RendezvousKind.Duplicate, sut.OnRunningEntry("2-0", Job("c1")).Kind);
    }

    [Fact]
    public void OnCompleted_LateNewsAboutTheContainer_IsIgnoredUntilTheGracePasses()
    {
        var sut = CreateSut();
        sut.OnRunningEntry("1-0", Job("c1"));
        sut.OnContainerFinished("c1");

        sut.OnCompleted("c1");
        var lateEvent = sut.OnContainerFinished("c1");
        var lateEntry = sut.OnRunningEntry("9-0", Job("c1"));
        _clock.Advance(s_grace);
        sut.TakeOrphans();
        var muchLater = sut.OnContainerFinished("c1");

        Assert.Equal(RendezvousKind.Ignore, lateEvent.Kind);
        Assert.Equal(RendezvousKind.Duplicate, lateEntry.Kind);
        Assert.Equal(RendezvousKind.Wait, muchLater.Kind);
        Assert.Empty(sut.HeldEntryIds());
    }

    [Fact]
    public void TakeOrphans_FinishedContainerWithoutEntry_IsHandedOutAfterTheGraceOnly()
    {
        var sut = CreateSut();
        sut.OnContainerFinished("orphan");
        sut.OnRunningEntry("1-0", Job("waiting"));

        _clock.Advance(s_grace - TimeSpan.FromSeconds(1));
        var early = sut.TakeOrphans();
        _clock.Advance(TimeSpan.FromSeconds(1));
        var due = sut.TakeOrphans();
        var lateEntry = sut.OnRunningEntry("2-0", Job("orphan"));

        Assert.Empty(early);
        Assert.Equal(["orphan"], due);
        // Its entry arriving after the removal waits for the container check, which finds it gone: status error.
        Assert.Equal(RendezvousKind.Wait, lateEntry.Kind);
        Assert.Equal(["1-0", "2-0"], sut.HeldEntryIds().Order());
    }

    [Fact]
    public void TakeRetries_AfterAFailedCompletion_HandsThePairingOutAgainOnce()
    {
        var sut = CreateSut();
        sut.OnRunningEntry("1-0", Job("c1"));
        sut.OnContainerFinished("c1");

        var whileCompleting = sut.TakeRetries();
        sut.OnCompletionFailed("c1");
        var retries = sut.TakeRetries();
        var secondTake = sut.TakeRetries();

        Assert.Empty(whileCompleting);
        Assert.Equal(new Pairing("c1", "1-0", Job("c1")), Assert.Single(retries));
        Assert.Empty(secondTake);
        Assert.False(sut.IsCompleted("c1"));
        sut.OnCompleted("c1");
        Assert.True(sut.IsCompleted("c1"));
    }

    [Fact]
    public void WaitingForContainer_ListsEntriesWhoseContainerIsNotKnownFinished()
    {
        var sut = CreateSut();
        sut.OnRunningEntry("1-0", Job("running"));
        sut.OnRunningEntry("2-0", Job("done"));
        sut.OnContainerFinished("done");
        sut.OnContainerFinished("no-entry");

        Assert.Equal(["running"], sut.WaitingForContainer().Select(j => j.ContainerId));
        Assert.Equal(["1-0", "2-0"], sut.HeldEntryIds().Order(StringComparer.Ordinal));
        Assert.True(sut.KnowsFinished("no-entry"));
    }

    [Fact]
    public void OnContainerGone_WithoutEntry_ForgetsTheContainer()
    {
        var sut = CreateSut();
        sut.OnContainerFinished("c1");

        var gone = sut.OnContainerGone("c1");
        var lateEntry = sut.OnRunningEntry("1-0", Job("c1"));
        var checkFindsItGone = sut.OnContainerGone("c1");

        Assert.Equal(RendezvousKind.Ignore, gone.Kind);
        Assert.Equal(RendezvousKind.Wait, lateEntry.Kind);
        Assert.Equal(RendezvousKind.Complete, checkFindsItGone.Kind);
    }

    [Fact]
    public void OnEntriesLost_TakenOverEntries_AreForgotten()
    {
        var sut = CreateSut();
        sut.OnRunningEntry("1-0", Job("c1"));
        sut.OnRunningEntry("2-0", Job("c2"));

        sut.OnEntriesLost(["1-0"]);

        Assert.Equal(["2-0"], sut.HeldEntryIds());
        Assert.Equal(["c2"], sut.WaitingForContainer().Select(j => j.ContainerId));
    }

    [Fact]
    public async Task OnRunningEntryAndOnContainerFinished_ArrivingConcurrently_PairEachContainerAtMostOnceAndLeaveNoneUnchecked()
    {
        var sut = CreateSut();
        var ids = Enumerable.Range(0, 2000).Select(i => "c" + i).ToList();
        var completes = new System.Collections.Concurrent.ConcurrentDictionary<string, int>(StringComparer.Ordinal);

        void Count(string id, RendezvousDecision d)
        {
            if (d.Kind == RendezvousKind.Complete)
            {
                completes.AddOrUpdate(id, 1, (_, n) => n + 1);
            }
        }

        await Task.WhenAll(
            Task.Run(() => ids.ForEach(id => Count(id, sut.OnRunningEntry("e-" + id, Job(id))))),
            Task.Run(() => ids.ForEach(id => Count(id, sut.OnContainerFinished(id)))),
            Task.Run(() => ids.ForEach(id => Count(id, sut.OnContainerGone(id)))));

        // Never twice. A container that was finished, then gone, before its entry came is forgotten by the gone (another
        // completer of the host may have completed it): its entry then waits, and the sweep's check of the containers
        // it waits for finds it gone and completes it. So each is paired here or left to that check, never neither.
        var waiting = sut.WaitingForContainer().Select(j => j.ContainerId).ToHashSet(StringComparer.Ordinal);
        Assert.All(completes, kv => Assert.Equal(1, kv.Value));
        Assert.All(ids, id => Assert.True(completes.ContainsKey(id) != waiting.Contains(id), id));
    }

    [Fact]
    public void OnCompletionFailed_CountsOnlyFailuresThatAreTheJobs()
    {
        var sut = CreateSut();
        sut.OnRunningEntry("1-0", Job("c1"));
        sut.OnContainerFinished("c1");

        Assert.Equal(1, sut.OnCompletionFailed("c1"));
        Assert.Single(sut.TakeRetries());
        Assert.Equal(1, sut.OnCompletionFailed("c1", countsAgainstTheJob: false));
        Assert.Single(sut.TakeRetries());
        Assert.Equal(2, sut.OnCompletionFailed("c1"));

        Assert.Equal(2, sut.CompletionFailures("c1"));
        Assert.Equal(0, sut.CompletionFailures("unknown"));
        Assert.Equal(0, sut.OnCompletionFailed("unknown"));
    }
}
