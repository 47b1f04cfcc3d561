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
        var (oom, _) = await run.RunAsync(run.Spec("tail /dev/zero", new ContainerHostConfig { MemoryBytes = 16L << 20, MemorySwapBytes = 16L << 20 }));
        var killed = await run.Client.CreateContainerAsync(run.Spec("sleep 60"));
        await run.Client.StartContainerAsync(killed);
        await run.Client.KillContainerAsync(killed);
        await run.Client.WaitContainerAsync(killed);

        var exitedDie = await events.WaitForAsync(e => e.ActorId == exited && e.Action == "die");
        var oomEvent = await events.WaitForAsync(e => e.ActorId == oom && e.Action == "oom");
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

        public async Task<DockerEvent> WaitForAsync(Func<DockerEvent, bool> match)
        {
            if (Seen.FirstOrDefault(match) is { } already)
            {
                return already;
            }

            using var cts = new CancellationTokenSource(EventTimeout);
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

                throw new TimeoutException($"no matching event within {EventTimeout}; seen: "
                    + string.Join(", ", Seen.Select(e => $"{e.Action} {e.ActorId[..12]}")));
            }
        }
    }
}
