using System.Globalization;
using Correctomatic.Completer;
using Correctomatic.Completer.Outcome;
using Correctomatic.Shared.Clocks;
using Correctomatic.Shared.Contracts;
using Correctomatic.Shared.Docker;
using Correctomatic.Shared.Hosting;
using Correctomatic.Shared.Redis;
using Correctomatic.Shared.Schemas;
using Correctomatic.Starter;
using Microsoft.Extensions.Logging.Abstractions;

namespace Correctomatic.Cli.Operations;

/// <summary>
/// The grader author's inner loop (issue #8): one image on one file, through the same code the pipeline runs — the
/// starter's validation and sandboxed launch, the completer's deadline, outcome reading and classification — without
/// queues. The result is the callback body the pipeline would send.
/// </summary>
public sealed class GraderTrial(StarterSettings starter, CompleterSettings completer, IDockerClient docker, TimeProvider clock)
{
    private const string UnusedCallback = "http://127.0.0.1/try";

    public async Task<CorrectionResult> RunAsync(PendingJob job, CancellationToken cancellationToken = default)
    {
        job = job with { Callback = string.IsNullOrEmpty(job.Callback) ? UnusedCallback : job.Callback };
        var now = clock.GetUtcNow();

        // A stream-id-shaped job id, as the starter's would be: the container's name and the queued time derive from it.
        var jobId = $"{now.ToUnixTimeMilliseconds()}-{Random.Shared.Next(1, int.MaxValue).ToString(CultureInfo.InvariantCulture)}";
        var entry = new StreamEntry(jobId, new Dictionary<string, string> { [StreamFields.Data] = ContractJson.Serialize(job) });
        var decision = await StarterComposition.CreateValidator(starter, clock).ValidateAsync(entry, cancellationToken);
        if (decision.Kind != JobDecisionKind.Accepted)
        {
            return CorrectionResult.Rejected(jobId, job.WorkId, decision.Message ?? "rejected");
        }

        var hostId = await StarterComposition.ResolveDockerHostIdAsync(starter, docker, cancellationToken);
        // The deadline is written and enforced on the engine's clock, as by the starter and the completer (README "Clocks").
        var engineClock = new EngineClock(clock, docker);
        await engineClock.SynchroniseAsync(cancellationToken);
        // The container's die, oom and kill events, watched from before it exists: the completer reads a lost OOM notice so.
        var (events, outages, watchingSince) = (new ContainerEvents(), new EngineOutages(engineClock), engineClock.GetUtcNow());
        using var stopWatching = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var watcher = WatchAsync(jobId, watchingSince, events, outages, stopWatching.Token);
        try
        {
            return await LaunchAndReadAsync(job, jobId, decision.Job!, hostId, engineClock, events, outages, watchingSince, cancellationToken);
        }
        finally
        {
            await stopWatching.CancelAsync();
            await watcher;
        }
    }

    private async Task<CorrectionResult> LaunchAndReadAsync(PendingJob job, string jobId, ValidatedJob validated, string hostId,
        EngineClock engineClock, ContainerEvents events, EngineOutages outages, DateTimeOffset watchingSince, CancellationToken cancellationToken)
    {
        var launcher = StarterComposition.CreateLauncher(starter, docker, hostId, engineClock, NullLoggerFactory.Instance);
        var launch = await launcher.LaunchAsync(validated, cancellationToken);
        if (!launch.Started)
        {
            return CorrectionResult.Failed(jobId, job.WorkId, launch.Error!);
        }

        var running = new RunningJob
        {
            JobId = jobId, WorkId = job.WorkId, ContainerId = launch.ContainerId!, DockerHost = hostId, Image = job.Image, Callback = job.Callback,
            QueuedAt = validated.QueuedAt, StartedAt = launch.StartedAt, Deadline = launch.Deadline,
            MemoryMb = validated.Limits.MemoryMb, // as the starter's hand-off (JobProcessor): the out_of_memory error names the limit
            TimeoutSeconds = validated.Limits.Timeout.TotalSeconds,
        };
        try
        {
            var killed = await ContainerDeadline.WaitOrKillAsync(docker, running.ContainerId, running.Deadline, engineClock, cancellationToken: cancellationToken);
            var outcome = await new ContainerOutcomeReader(docker, completer.OutputLimitBytes).ReadAsync(running, killed, cancellationToken);
            (outcome, _) = await OomByElimination.ConfirmAsync(outcome, events, completer.OomEventGrace, watchingSince, outages, engineClock, cancellationToken);
            return new OutcomeClassifier(SchemaCatalog.Default, completer.StderrTailBytes).Classify(running, outcome, completer.OutputLimitBytes);
        }
        finally
        {
            await docker.RemoveContainerAsync(running.ContainerId, force: true, CancellationToken.None);
        }
    }

    /// <summary>Until cancelled: the trial container's events into <paramref name="events"/>; a dropped stream is an outage.</summary>
    private async Task WatchAsync(string jobId, DateTimeOffset since, ContainerEvents events, EngineOutages outages, CancellationToken cancellationToken)
    {
        var filter = new DockerEventFilter { Labels = [$"{ContainerLabels.JobId}={jobId}"], Events = ["die", "oom", "kill"] };
        try
        {
            await foreach (var e in docker.GetEventsAsync(filter, since.ToUnixTimeMilliseconds() * 1_000_000, outages.Unreachable, cancellationToken))
            {
                events.Mark(e.Action);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // the trial is over
        }
        catch (Exception ex) when (!FailurePolicy.IsFatal(ex))
        {
            // Events unread from here on: never an OOM by elimination, and never the trial's failure.
            outages.Unreachable();
        }
    }
}
