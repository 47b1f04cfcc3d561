using System.Threading.Channels;
using Correctomatic.Shared.Configuration;
using Correctomatic.Shared.Docker;
using Correctomatic.Tests.Integration.Infrastructure;

namespace Correctomatic.Tests.Integration.Docker;

/// <summary>Events for labelled containers (issue #4: die, oom, kill), and resumption after a dropped connection.</summary>
public sealed class DockerEventsTests
{
    private static readonly TimeSpan EventTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task GetEvents_LabelledContainersExitKilledAndOomKilled_DieKillAndOomReceived()
    {
        await using var run = await DockerTestRun.StartAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var filter = new DockerEventFilter { Labels = [run.RunLabel], Events = ["die", "oom", "kill"] };
        var events = Collect(run.Client, filter, cts.Token);
        await events.Subscribed;

        var (exited, _) = await run.RunAsync(run.Spec("exit 3"));
        var (oom, oomEvent) = await OomKilledAsync(run, events);
        var killed = await run.Client.CreateContainerAsync(run.Spec("sleep 60"));
        await run.Client.StartContainerAsync(killed);
        await run.Client.KillContainerAsync(killed);
        await run.Client.WaitContainerAsync(killed);

        var exitedDie = await events.WaitForAsync(e => e.ActorId == exited && e.Action == "die");
        var oomDie = await events.WaitForAsync(e => e.ActorId == oom && e.Action == "die");
        var kill = await events.WaitForAsync(e => e.ActorId == killed && e.Action == "kill");
        var killedDie = await events.WaitForAsync(e => e.ActorId == killed && e.Action == "die");
        await cts.CancelAsync();

        Assert.Equal("3", exitedDie.Attributes["exitCode"]);
        Assert.Equal("container", oomEvent.Type);
        Assert.Equal("137", oomDie.Attributes["exitCode"]);
        Assert.Equal("9", kill.Attributes["signal"]);
        Assert.Equal(run.RunLabelValue, killedDie.Attributes[DockerTestRun.RunLabelKey]);
        Assert.True(killedDie.TimeNano >= kill.TimeNano);
    }

    /// <summary>
    /// A container the kernel kills for memory, and the engine's oom event for it. The engine loses the kernel's OOM
    /// notice now and then under load: the die comes alone, State.OOMKilled stays false (seen once in a fresh-clone run,
    /// cgroup v1). What this tests is that an oom the engine emits reaches us, so a container whose notice the engine
    /// lost is followed by another, up to three.
    /// </summary>
    private static async Task<(string Id, DockerEvent Oom)> OomKilledAsync(DockerTestRun run, EventCollector events)
    {
        for (var attempt = 1; ; attempt++)
        {
            var (id, _) = await run.RunAsync(run.Spec("tail /dev/zero", new ContainerHostConfig { MemoryBytes = 16L << 20, MemorySwapBytes = 16L << 20 }));
            await events.WaitForAsync(e => e.ActorId == id && e.Action == "die");
            try
            {
                // The oom comes before the die, or just after it.
                return (id, await events.WaitForAsync(e => e.ActorId == id && e.Action == "oom", TimeSpan.FromSeconds(5)));
            }
            catch (TimeoutException) when (attempt < 3)
            {
                Assert.False((await run.Client.InspectContainerAsync(id)).State.OomKilled, "the engine recorded an OOM whose event never came");
            }
        }
    }

    [Fact]
    public async Task GetEvents_ConnectionDroppedWhileAContainerDies_ResumesAndDeliversItOnce()
    {
        await using var run = await DockerTestRun.StartAsync();
        var engineSocket = DockerEndpoint.Parse(DockerEngine.Host).SocketPath
            ?? throw new InvalidOperationException("this test needs a unix-socket DOCKER_HOST to put a proxy in front of");
        await using var proxy = UnixSocketProxy.Start(engineSocket);
        using var viaProxy = DockerClient.Create(proxy.DockerHost);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var events = Collect(viaProxy, new DockerEventFilter { Labels = [run.RunLabel], Events = ["die"] }, cts.Token);
        await events.Subscribed;

        var (before, _) = await run.RunAsync(run.Spec("exit 1"));
        await events.WaitForAsync(e => e.ActorId == before);
        proxy.Cut();
        var (during, _) = await run.RunAsync(run.Spec("exit 2"));
        proxy.Resume();
        var resumed = await events.WaitForAsync(e => e.ActorId == during);
        var (after, _) = await run.RunAsync(run.Spec("exit 4"));
        await events.WaitForAsync(e => e.ActorId == after);
        await cts.CancelAsync();

        Assert.Equal("2", resumed.Attributes["exitCode"]);
        Assert.True(proxy.ConnectionsAccepted >= 2, $"accepted {proxy.ConnectionsAccepted}");
        Assert.Equal([before, during, after], events.Seen.Select(e => e.ActorId).ToArray());
    }

    /// <summary>Runs the subscription in the background, keeping every event; completes Subscribed once the stream is open.</summary>
    private static EventCollector Collect(IDockerClient client, DockerEventFilter filter, CancellationToken cancellationToken)
    {
        var collector = new EventCollector();
        collector.Run = Task.Run(async () =>
        {
            // A since of "now" makes the subscription start before the test acts, whenever the stream actually opens.
            var since = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000;
            collector.MarkSubscribed();
            try
            {
                await foreach (var e in client.GetEventsAsync(filter, since, cancellationToken: cancellationToken))
                {
                    collector.Add(e);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // The test is done with the stream.
            }
        }, cancellationToken);
        return collector;
    }

    private sealed class EventCollector
    {
        private readonly TaskCompletionSource _subscribed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly Channel<DockerEvent> _arrivals = Channel.CreateUnbounded<DockerEvent>();
        private readonly List<DockerEvent> _seen = [];

        public Task Run { get; set; } = Task.CompletedTask;
        public Task Subscribed => _subscribed.Task;

        public IReadOnlyList<DockerEvent> Seen
        {
            get
            {
                lock (_seen)
                {
                    return [.. _seen];
                }
            }
        }

        public void MarkSubscribed() => _subscribed.TrySetResult();

        public void Add(DockerEvent e)
        {
            lock (_seen)
            {
                _seen.Add(e);
            }

            _arrivals.Writer.TryWrite(e);
        }

        public async Task<DockerEvent> WaitForAsync(Func<DockerEvent, bool> match, TimeSpan? timeout = null)
        {
            if (Seen.FirstOrDefault(match) is { } already)
            {
                return already;
            }

            using var cts = new CancellationTokenSource(timeout ?? EventTimeout);
            try
            {
                while (true)
                {
                    var e = await _arrivals.Reader.ReadAsync(cts.Token);
                    if (match(e))
                    {
                        return e;
                    }
                }
            }
            catch (OperationCanceledException)
            {
                if (Run.IsFaulted)
                {
                    throw new InvalidOperationException("the events subscription failed", Run.Exception);
                }

                throw new TimeoutException($"no matching event within {timeout ?? EventTimeout}; seen: "
                    + string.Join(", ", Seen.Select(e => $"{e.Action} {e.ActorId[..12]}")));
            }
        }
    }
}
