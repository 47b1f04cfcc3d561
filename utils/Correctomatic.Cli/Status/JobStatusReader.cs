using System.Globalization;
using System.Text.Json;
using Correctomatic.Cli.Dashboard;
using Correctomatic.Notifier.Delivery;
using Correctomatic.Shared.Contracts;
using Correctomatic.Shared.Docker;
using Correctomatic.Shared.Redis;
using Correctomatic.Shared.Schemas;

namespace Correctomatic.Cli.Status;

/// <summary>
/// Finds where a job is from what the pipeline already keeps (issue #16: no state of its own that could drift): the
/// pending entry whose id is the job id, the running and finished entries whose <c>job_id</c> it is, the dead entries,
/// the groups' pending entries lists (who holds it), the notifier's attempt history and the containers' labels.
/// The furthest stage reached wins: dead, else finished (delivered once the notifier acknowledged it), else running,
/// else pending (starting once a starter holds it).
/// </summary>
public sealed class JobStatusReader(DashboardReads reads, IDockerClient? docker)
{
    private const string AttemptsMarker = "; attempts: ";
    private StreamNames Streams => reads.Streams;

    /// <summary>The job's status, or null when no stream holds anything of <paramref name="jobId"/>.</summary>
    public async Task<JobStatusReport?> ReadAsync(string jobId, CancellationToken cancellationToken)
    {
        // The reads are not one snapshot, so they run from the earliest evidence to the latest: whatever moves between two
        // reads is then seen at its newer place, never at an older one. Who holds the pending entry, and what the notifier
        // has acknowledged (a delivery or a dead-lettering, told apart by the dead stream read last), come first.
        var starter = await reads.HolderAsync(Streams.Pending, ConsumerGroups.Starter, jobId, cancellationToken);
        var progress = await reads.NotifierProgressAsync(cancellationToken);
        var attempts = await reads.AttemptsAsync(jobId, cancellationToken);
        var pending = await reads.EntryAsync(Streams.Pending, jobId, cancellationToken);
        var running = (await reads.EntriesAsync(Streams.Running, cancellationToken)).LastOrDefault(e => JobIdOf(e) == jobId);
        var finished = (await reads.EntriesAsync(Streams.Finished, cancellationToken)).LastOrDefault(e => JobIdOf(e) == jobId);
        var dead = (await reads.EntriesAsync(Streams.Dead, cancellationToken))
            .Where(e => DashboardQueries.DeadJobId(e, Streams) == jobId).ToList();
        if (pending is null && running is null && finished is null && dead.Count == 0)
        {
            return null;
        }

        var result = EntryData.Parse(finished?.Field(StreamFields.Data));
        var launched = Running(running);
        var workId = result.WorkId ?? launched?.WorkId ?? EntryData.Parse(pending?.Field(StreamFields.Data)).WorkId
            ?? dead.Select(e => EntryData.Parse(e.Field(StreamFields.Data)).WorkId).FirstOrDefault(w => w is not null);
        if (running is not null || finished is not null || dead.Count > 0)
        {
            starter = null; // handed off since
        }

        var completer = running is not null && finished is null && dead.Count == 0 && launched is not null
            ? await reads.HolderAsync(Streams.Running, ConsumerGroups.Completer(launched.DockerHost), running.Id, cancellationToken) : null;
        // A dead callback's entry holds its final list of attempts: it wins over the history, which was read earlier and may
        // lack the last attempt (the notifier appends it, then dead-letters, then deletes the history).
        if (dead.FirstOrDefault(d => d.Field(StreamFields.Source) == Streams.Finished) is { } deadCallback
            && AttemptsOnDeadEntry(deadCallback.Field(StreamFields.Reason)) is { Count: > 0 } final)
        {
            attempts = final;
        }

        var delivered = finished is not null && dead.Count == 0
            && (attempts.Any(a => a.Kind == AttemptKind.Delivered) || progress.Acknowledged(finished.Id));
        var state = dead.Count > 0 ? JobState.Dead
            : finished is not null ? (delivered ? JobState.Delivered : JobState.Finished)
            : running is not null ? JobState.Running
            : starter is not null ? JobState.Starting
            : JobState.Pending;

        var container = state is JobState.Starting or JobState.Running ? await ContainerAsync(jobId, launched, cancellationToken) : null;
        var verdict = result.Status is null ? null : new VerdictReport(result.Status, result.Grade, result.MaxGrade, result.Error);
        var started = result.StartedAt ?? launched?.StartedAt;
        var timings = new StatusTimings(StreamIds.Time(jobId), started, result.FinishedAt,
            started is { } s && result.FinishedAt is { } f ? (long)(f - s).TotalMilliseconds : null,
            attempts.LastOrDefault(a => a.Kind == AttemptKind.Delivered)?.At);
        var deadReports = dead.Select(d => new DeadReport(d.Id, StreamIds.Time(d.Id), d.Field(StreamFields.Source),
            d.Field(StreamFields.SourceId), d.Field(StreamFields.Reason))).ToList();

        return new JobStatusReport(jobId, workId, state, state is JobState.Delivered or JobState.Dead,
            Summary(state, starter, container, completer, verdict, attempts, deadReports),
            timings, Hold(starter), container, Hold(completer), verdict,
            finished is null && attempts.Count == 0 ? null : new CallbackReport(delivered, attempts), deadReports);
    }

    /// <summary>
    /// The container from the running entry, with its state from the engine's labels (managed by this prefix, this job id);
    /// while the job is being started only the labels know it. A failing engine leaves the state unknown, never the status.
    /// </summary>
    private async Task<ContainerReport?> ContainerAsync(string jobId, RunningJob? launched, CancellationToken cancellationToken)
    {
        ContainerSummary? found = null;
        if (docker is not null)
        {
            try
            {
                var listed = await docker.ListContainersAsync([ContainerLabels.ManagedFilter(Streams.Prefix), $"{ContainerLabels.JobId}={jobId}"],
                    all: true, cancellationToken);
                found = listed.FirstOrDefault(c => launched is null || c.Id == launched.ContainerId);
            }
            catch (Exception ex) when (ex is DockerApiException or DockerUnreachableException)
            {
                // The engine is another host's or down: the running entry still says where the job is.
            }
        }

        if (launched is not null)
        {
            return new ContainerReport(launched.ContainerId, launched.DockerHost, launched.Image, launched.Deadline, found?.State);
        }

        return found is null ? null : new ContainerReport(found.Id, found.Labels.GetValueOrDefault(ContainerLabels.DockerHost), found.Image,
            ContainerLabels.ParseDeadline(found.Labels.GetValueOrDefault(ContainerLabels.Deadline)), found.State);
    }

    private static string Summary(JobState state, PendingHold? starter, ContainerReport? container, PendingHold? completer,
        VerdictReport? verdict, IReadOnlyList<AttemptOutcome> attempts, IReadOnlyList<DeadReport> dead) => state switch
    {
        JobState.Pending => "pending: not yet read by a starter",
        JobState.Starting => $"being started by {starter!.Consumer} (delivery {starter.Deliveries})"
            + (container is null ? "" : $", container {Short(container.Id)} {container.State}"),
        JobState.Running => $"running on host {container?.DockerHost ?? "?"} in container {Short(container?.Id)}"
            + (container?.State is { } s && s != "running" ? $" ({s})" : "")
            + (completer is null ? "" : $", being completed by {completer.Consumer}"),
        JobState.Finished => $"finished ({Verdict(verdict)}): callback not delivered yet"
            + (attempts.Count == 0 ? "" : $", {attempts.Count} attempt(s), last: {attempts[^1].Detail}"),
        JobState.Delivered => $"delivered: {Verdict(verdict)}",
        _ => $"dead in {dead[^1].Source ?? "?"}: {Head(dead[^1].Reason)}" + (verdict is null ? "" : $" (verdict was {Verdict(verdict)})"),
    };

    private static string Verdict(VerdictReport? verdict) => verdict is null ? "no verdict"
        : verdict.Status + (verdict.Grade is { } g ? $", grade {Number(g)}" + (verdict.MaxGrade is { } m ? $" of {Number(m)}" : "") : "")
          + (verdict.Error is { } e ? $": {e}" : "");

    private static PendingHoldReport? Hold(PendingHold? hold) =>
        hold is null ? null : new PendingHoldReport(hold.Group, hold.Consumer, hold.Deliveries, (long)hold.Idle.TotalMilliseconds);

    /// <summary>The notifier writes a dead callback's attempts as JSON at the end of its reason (NotifierWorker.FinishAsync).</summary>
    private static IReadOnlyList<AttemptOutcome> AttemptsOnDeadEntry(string? reason)
    {
        var at = reason?.LastIndexOf(AttemptsMarker, StringComparison.Ordinal) ?? -1;
        if (at < 0)
        {
            return [];
        }

        try
        {
            return JsonSerializer.Deserialize<List<AttemptOutcome>>(reason![(at + AttemptsMarker.Length)..]) ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    /// <summary>The running entry read as the completer reads it; one it would dead-letter says nothing about a container.</summary>
    private static RunningJob? Running(StreamEntry? entry) =>
        entry is null ? null : EntryReader.Default.Read<RunningJob>(entry.Fields, SchemaName.Running).Record;

    private static string? JobIdOf(StreamEntry entry) => EntryData.Parse(entry.Field(StreamFields.Data)).JobId;

    private static string Head(string? reason) => reason is null ? "(no reason)"
        : reason.IndexOf(AttemptsMarker, StringComparison.Ordinal) is var i and >= 0 ? reason[..i] : reason;

    private static string Short(string? id) => id is null ? "?" : id.Length > 12 ? id[..12] : id;

    private static string Number(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
