using System.Threading.Channels;
using Correctomatic.Completer.Rendezvous;
using Correctomatic.Shared.Clocks;
using Correctomatic.Shared.Contracts;
using Correctomatic.Shared.Docker;
using Correctomatic.Shared.Hosting;
using Microsoft.Extensions.Logging;

namespace Correctomatic.Completer;

/// <summary>
/// The container side of the completer's rendezvous (issue #6): Docker events, an inspect when asked, and the periodic
/// sweep; it kills containers past their deadline, removes orphans, and queues each job whose container and entry are
/// both there for completion. It keeps nothing the next sweep could not rebuild from the engine.
/// </summary>
internal sealed class ContainerWatch(
    CompleterSettings settings, IDockerClient docker, JobRendezvous rendezvous, JobCompletion completion, EngineClock engineClock,
    ChannelWriter<Pairing> completions, ILogger logger)
{
    // die: the process ended; oom: the kernel killed it (die follows); kill: a signal was sent (die may follow);
    // destroy: removed. Docker Engine API, "Monitor events", container actions.
    private static readonly string[] s_events = ["die", "oom", "kill", "destroy"];

    // Clocks drift by milliseconds an hour under NTP; a minute keeps the offset fresh at one /info call a minute.
    private static readonly TimeSpan s_clockSyncInterval = TimeSpan.FromMinutes(1);

    private const int PruneEverySweeps = 20;
    private long _sweeps;

    private readonly Channel<string> _checks = Channel.CreateUnbounded<string>();

    /// <summary>Asks for an inspect of <paramref name="containerId"/> (it may have finished or vanished while nobody watched).</summary>
    public void Check(string containerId) => _checks.Writer.TryWrite(containerId);

    /// <param name="gate">Test hook: awaited before subscribing (the watcher then replays events since <paramref name="since"/>).</param>
    public async Task WatchEventsAsync(DateTimeOffset since, Func<CancellationToken, Task>? gate, CancellationToken stoppingToken)
    {
        if (gate is not null)
        {
            await gate(stoppingToken);
        }

        var filter = new DockerEventFilter { Labels = [ContainerLabels.ManagedFilter(settings.Common.QueuePrefix)], Events = s_events };
        long? resumeAt = since.ToUnixTimeMilliseconds() * 1_000_000;
        completion.WatchingSince = since; // the engine replays the events since then
        // After a failure the sweep covers the gap, and the watcher resumes from the last event it saw.
        await new StageLoop(settings.RetryDelay, engineClock, logger, CompleterMetrics.Error).RunAsync("event watcher", async ct =>
        {
            // A drop means the engine went away (a restart, live-restore or not): the outage starts at its last answer.
            await foreach (var e in docker.GetEventsAsync(filter, resumeAt, completion.Outages.Unreachable, ct))
            {
                resumeAt = e.TimeNano;
                if (e.Action == "destroy")
                {
                    OnContainerGone(e.ActorId, "destroy event");
                    completion.Forget(e.ActorId);
                }
                else
                {
                    completion.MarkEvent(e.ActorId, e.Action);
                    _checks.Writer.TryWrite(e.ActorId);
                }
            }
        }, TimeSpan.Zero, stoppingToken);
    }

    /// <summary>One ping of the engine, every second: when it could not be reached (<see cref="EngineOutages"/>).</summary>
    public async Task PingEngineAsync(CancellationToken cancellationToken)
    {
        try
        {
            await docker.PingAsync(cancellationToken);
            completion.Outages.Reachable();
        }
        catch (Exception ex) when (FailurePolicy.IsTransient(ex))
        {
            completion.Outages.Unreachable(); // the other loops log the outage
        }
    }

    public async Task CheckContainersAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var containerId in _checks.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await CheckContainerAsync(containerId, stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException && !FailurePolicy.IsFatal(ex))
                {
                    logger.LoopFailed(ex, "container check", settings.SweepInterval); // the next sweep looks again
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
    }

    /// <summary>Inspects one container: finished or gone → rendezvous; running past its deadline → killed.</summary>
    private async Task CheckContainerAsync(string containerId, CancellationToken cancellationToken)
    {
        ContainerInfo info;
        try
        {
            info = await docker.InspectContainerAsync(containerId, cancellationToken);
        }
        catch (DockerNoSuchContainerException)
        {
            OnContainerGone(containerId, "inspect: no such container");
            return;
        }

        await OnContainerStateAsync(containerId, info.State.Status, info.Labels, "inspect", cancellationToken);
    }

    /// <summary>
    /// Lists our containers on this engine (start-up, then every COMPLETER_SWEEP_INTERVAL): finds those that finished
    /// while nobody watched, kills those past their deadline, looks for containers of held entries that are gone,
    /// removes orphans, and retries failed completions.
    /// </summary>
    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        await engineClock.EnsureFreshAsync(s_clockSyncInterval, cancellationToken);
        var containers = await docker.ListContainersAsync([ContainerLabels.ManagedFilter(settings.Common.QueuePrefix)], all: true, cancellationToken);
        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (var container in containers)
        {
            present.Add(container.Id);
            await OnContainerStateAsync(container.Id, container.State, container.Labels, "sweep", cancellationToken);
        }

        foreach (var job in rendezvous.WaitingForContainer().Where(j => !present.Contains(j.ContainerId)))
        {
            _checks.Writer.TryWrite(job.ContainerId); // listed before the entry came, or gone: an inspect tells which
        }

        foreach (var orphan in rendezvous.TakeOrphans())
        {
            if (present.Contains(orphan))
            {
                await docker.RemoveContainerAsync(orphan, force: true, cancellationToken);
                var labels = containers.First(c => c.Id == orphan).Labels;
                logger.OrphanRemoved(settings.OrphanGrace, labels.GetValueOrDefault(ContainerLabels.JobId), labels.GetValueOrDefault(ContainerLabels.WorkId), orphan);
            }
        }

        foreach (var retry in rendezvous.TakeRetries())
        {
            completions.TryWrite(retry);
        }

        await PruneVolumesIfDueAsync(cancellationToken);
    }

    /// <summary>
    /// Every <see cref="PruneEverySweeps"/> sweeps: our labelled volumes that no container uses. Each container's /tmp
    /// volume goes with it (v=true), but utils/chaos.sh found a few left after engine restarts (cause not pinned down;
    /// issue #15), and nothing else would ever remove them. A volume in use, even by a created container, is kept.
    /// </summary>
    private async Task PruneVolumesIfDueAsync(CancellationToken cancellationToken)
    {
        if (++_sweeps % PruneEverySweeps != 1)
        {
            return;
        }

        var pruned = await docker.PruneVolumesAsync([ContainerLabels.ManagedFilter(settings.Common.QueuePrefix)], cancellationToken);
        if (pruned > 0)
        {
            logger.VolumesPruned(pruned);
        }
    }

    private async Task OnContainerStateAsync(string containerId, string status, IReadOnlyDictionary<string, string> labels, string source,
        CancellationToken cancellationToken)
    {
        var deadline = ContainerLabels.ParseDeadline(labels.GetValueOrDefault(ContainerLabels.Deadline));
        var pastDeadline = deadline <= engineClock.GetUtcNow();
        switch (status)
        {
            case "exited" or "dead" when rendezvous.IsCompleted(containerId):
                await docker.RemoveContainerAsync(containerId, force: true, cancellationToken); // its removal failed after the hand-off
                break;
            case "exited" or "dead" or "removing":
                OnContainerFinished(containerId, source);
                break;
            case "created" when pastDeadline:
                OnContainerFinished(containerId, source + ", never started"); // its starter died before starting it
                break;
            case "running" or "paused" or "restarting" when pastDeadline:
                completion.MarkKilledAtDeadline(containerId);
                try
                {
                    await docker.KillContainerAsync(containerId, "KILL", cancellationToken);
                }
                catch (DockerApiException)
                {
                    // Already stopped or gone: its die or destroy event says so.
                }

                logger.KilledAtDeadline(labels.GetValueOrDefault(ContainerLabels.JobId), labels.GetValueOrDefault(ContainerLabels.WorkId), containerId);
                break;
        }
    }

    private void OnContainerFinished(string containerId, string source)
    {
        logger.ContainerFinished(containerId, source);
        Dispatch(rendezvous.OnContainerFinished(containerId));
    }

    private void OnContainerGone(string containerId, string source)
    {
        logger.ContainerFinished(containerId, source);
        Dispatch(rendezvous.OnContainerGone(containerId));
    }

    private void Dispatch(Rendezvous.RendezvousDecision decision)
    {
        if (decision.Pairing is { } pairing)
        {
            completions.TryWrite(pairing);
        }
    }
}
