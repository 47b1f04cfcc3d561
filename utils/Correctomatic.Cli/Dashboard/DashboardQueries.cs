using System.Globalization;
using System.Text;
using Correctomatic.Notifier.Delivery;
using Correctomatic.Shared.Contracts;
using Correctomatic.Shared.Docker;
using Correctomatic.Shared.Redis;
using Correctomatic.Shared.Schemas;

namespace Correctomatic.Cli.Dashboard;

/// <summary>
/// Turns what <see cref="DashboardReads"/> and the engines' labels give into the page's numbers. No state of its own:
/// every figure is recomputed from the streams within retention (a job's state is the furthest stream it reached).
/// </summary>
public sealed class DashboardQueries(DashboardReads reads, IDockerClient? docker, TimeProvider time)
{
    private static readonly CallbackBody s_callbackBody = new(SchemaCatalog.Default);
    private StreamNames Streams => reads.Streams;

    public async Task<DashboardSnapshot> SnapshotAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var queues = await reads.QueuesAsync(cancellationToken);
        var pending = await reads.EntriesAsync(Streams.Pending, cancellationToken);
        var running = await reads.EntriesAsync(Streams.Running, cancellationToken);
        var finished = await reads.EntriesAsync(Streams.Finished, cancellationToken);
        var dead = await reads.EntriesAsync(Streams.Dead, cancellationToken);
        var progress = await reads.NotifierProgressAsync(cancellationToken);

        // A job's state: dead, else its finished status, else running, else queued.
        var state = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in pending)
        {
            state[entry.Id] = "queued";
        }

        foreach (var entry in running)
        {
            if (EntryData.Parse(entry.Field(StreamFields.Data)).JobId is { } jobId)
            {
                state[jobId] = "running";
            }
        }

        foreach (var entry in finished)
        {
            var data = EntryData.Parse(entry.Field(StreamFields.Data));
            if (data.JobId is { } jobId)
            {
                state[jobId] = data.Status ?? "finished (no status)";
            }
        }

        foreach (var entry in dead)
        {
            state[DeadJobId(entry) ?? entry.Id] = "dead";
        }

        var order = new[] { "queued", "running", "graded", "grader_failed", "timeout", "out_of_memory", "output_too_large", "infrastructure_error", "dead" };
        var statuses = state.Values.GroupBy(s => s, StringComparer.Ordinal)
            .Select(g => new StatusCount(g.Key, g.LongCount()))
            .OrderBy(s => Array.IndexOf(order, s.Status) is var i and >= 0 ? i : order.Length)
            .ThenBy(s => s.Status, StringComparer.Ordinal)
            .ToList();

        var hourAgo = now.AddHours(-1);
        var throughput = new List<StageThroughput>
        {
            Throughput("queued (pending)", pending, hourAgo),
            Throughput("started (running)", running, hourAgo),
            Throughput("finished", finished, hourAgo),
            Throughput("dead", dead, hourAgo),
        };

        var deadFromFinished = dead.Where(d => d.Field(StreamFields.Source) == Streams.Finished)
            .Select(d => d.Field(StreamFields.SourceId)).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var lastHour = finished.Where(e => StreamIds.Time(e.Id) >= hourAgo).ToList();
        var callbacks = new CallbackRates(
            Delivered: lastHour.LongCount(e => progress.Acknowledged(e.Id) && !deadFromFinished.Contains(e.Id)),
            Retrying: await reads.RetryingCountAsync(cancellationToken),
            Dead: dead.LongCount(d => d.Field(StreamFields.Source) == Streams.Finished && StreamIds.Time(d.Id) >= hourAgo),
            Waiting: lastHour.LongCount(e => !progress.Acknowledged(e.Id)));

        var (containers, containersError) = await ContainersAsync(cancellationToken);
        return new DashboardSnapshot(now, queues, statuses, throughput, callbacks, containers, containersError, dead);
    }

    /// <summary>Jobs whose id or work id is <paramref name="query"/> (at most 20), newest first.</summary>
    public async Task<IReadOnlyList<JobView>> FindAsync(string query, CancellationToken cancellationToken)
    {
        query = query.Trim();
        var pending = await reads.EntriesAsync(Streams.Pending, cancellationToken);
        var running = await reads.EntriesAsync(Streams.Running, cancellationToken);
        var finished = await reads.EntriesAsync(Streams.Finished, cancellationToken);
        var dead = await reads.EntriesAsync(Streams.Dead, cancellationToken);

        var ids = new SortedSet<string>(Comparer<string>.Create((a, b) => StreamIds.IsId(a) && StreamIds.IsId(b) ? StreamIds.Compare(b, a) : string.CompareOrdinal(a, b)));
        if (StreamIds.IsId(query))
        {
            ids.Add(query);
        }

        foreach (var entry in pending.Where(e => EntryData.Parse(e.Field(StreamFields.Data)).WorkId == query))
        {
            ids.Add(entry.Id);
        }

        foreach (var data in running.Concat(finished).Select(e => EntryData.Parse(e.Field(StreamFields.Data))).Where(d => d.WorkId == query))
        {
            if (data.JobId is { } jobId)
            {
                ids.Add(jobId);
            }
        }

        foreach (var entry in dead.Where(e => EntryData.Parse(e.Field(StreamFields.Data)).WorkId == query))
        {
            ids.Add(DeadJobId(entry) ?? entry.Id);
        }

        var progress = await reads.NotifierProgressAsync(cancellationToken);
        var views = new List<JobView>();
        foreach (var jobId in ids.Take(20))
        {
            var view = await ViewAsync(jobId, pending, running, finished, dead, progress, cancellationToken);
            if (view is not null)
            {
                views.Add(view);
            }
        }

        return views;
    }

    private async Task<JobView?> ViewAsync(string jobId, IReadOnlyList<StreamEntry> pending, IReadOnlyList<StreamEntry> running,
        IReadOnlyList<StreamEntry> finished, IReadOnlyList<StreamEntry> dead, NotifierProgress progress, CancellationToken cancellationToken)
    {
        var pendingEntry = pending.FirstOrDefault(e => e.Id == jobId);
        var runningEntry = running.LastOrDefault(e => EntryData.Parse(e.Field(StreamFields.Data)).JobId == jobId);
        var finishedEntry = finished.LastOrDefault(e => EntryData.Parse(e.Field(StreamFields.Data)).JobId == jobId);
        var deadEntries = dead.Where(e => DeadJobId(e) == jobId).ToList();
        if (pendingEntry is null && runningEntry is null && finishedEntry is null && deadEntries.Count == 0)
        {
            return null;
        }

        var result = EntryData.Parse(finishedEntry?.Field(StreamFields.Data));
        var workId = result.WorkId
            ?? EntryData.Parse(pendingEntry?.Field(StreamFields.Data)).WorkId
            ?? EntryData.Parse(runningEntry?.Field(StreamFields.Data)).WorkId
            ?? deadEntries.Select(e => EntryData.Parse(e.Field(StreamFields.Data)).WorkId).FirstOrDefault(w => w is not null);

        // The job id is the pending entry's id: its time is when the job was queued, even after pending was trimmed.
        var timeline = new List<TimelineStep> { new("queued", StreamIds.Time(jobId), "the pending entry's id") };
        timeline.Add(result.StartedAt is { } started ? new("started", started, "the finished entry's timings.started_at")
            : runningEntry is not null ? new("started", StreamIds.Time(runningEntry.Id), "the running entry's id")
            : new("started", null, "not yet"));
        timeline.Add(result.FinishedAt is { } done ? new("finished", done, "the finished entry's timings.finished_at")
            : finishedEntry is not null ? new("finished", StreamIds.Time(finishedEntry.Id), "the finished entry's id")
            : new("finished", null, "not yet"));
        timeline.Add(await DeliveredAsync(jobId, finishedEntry, dead, progress, cancellationToken));
        foreach (var entry in deadEntries)
        {
            timeline.Add(new("dead", StreamIds.Time(entry.Id), $"dead entry {entry.Id} from {entry.Field(StreamFields.Source) ?? "?"}: {entry.Field(StreamFields.Reason) ?? "(no reason)"}"));
        }

        var verdict = result.Status is null ? (deadEntries.Count > 0 ? "dead" : "not finished")
            : result.Status + (result.Grade is { } g ? $", grade {Format(g)}" + (result.MaxGrade is { } m ? $" of {Format(m)}" : "") : "")
              + (result.Error is { } e ? $": {e}" : "");

        string? body = null;
        var bodySource = "no finished entry yet: nothing has been signed";
        if (finishedEntry is not null)
        {
            var parse = s_callbackBody.Parse(finishedEntry.Field(StreamFields.Data));
            if (parse.Request is { } request)
            {
                body = Encoding.UTF8.GetString(request.Body.Span);
                bodySource = $"recomputed from finished entry {finishedEntry.Id} as the notifier canonicalises it (Notifier/Delivery/CallbackBody.cs): the exact bytes it signs and sends";
            }
            else
            {
                bodySource = $"finished entry {finishedEntry.Id} cannot be sent: {parse.Error}";
            }
        }

        return new JobView(jobId, workId, result.Status, verdict, timeline, body, bodySource, deadEntries);
    }

    private async Task<TimelineStep> DeliveredAsync(string jobId, StreamEntry? finishedEntry, IReadOnlyList<StreamEntry> dead,
        NotifierProgress progress, CancellationToken cancellationToken)
    {
        if (finishedEntry is null)
        {
            return new("delivered", null, "not yet");
        }

        var attempts = await reads.AttemptsAsync(jobId, cancellationToken);
        if (attempts.LastOrDefault(a => a.Kind == AttemptKind.Delivered) is { } delivered)
        {
            return new("delivered", delivered.At, $"the notifier's attempt history, attempt {delivered.Attempt}");
        }

        if (attempts.Count > 0)
        {
            return new("delivered", null, $"not yet: {attempts.Count} attempt(s), last {attempts[^1]}");
        }

        if (dead.Any(d => d.Field(StreamFields.Source) == Streams.Finished && d.Field(StreamFields.SourceId) == finishedEntry.Id))
        {
            return new("delivered", null, "never: the callback was dead-lettered");
        }

        return progress.Acknowledged(finishedEntry.Id)
            ? new("delivered", null, "yes: the notifier acknowledged the finished entry (it keeps no attempt history after a delivery, so the time is not recorded)")
            : new("delivered", null, "not yet: the notifier has not acknowledged the finished entry");
    }

    /// <summary>Our containers per Docker host (by their <c>correctomatic.docker_host</c> label), or why they could not be listed.</summary>
    public async Task<(IReadOnlyList<HostContainers> Hosts, string? Error)> ContainersAsync(CancellationToken cancellationToken)
    {
        if (docker is null)
        {
            return ([], "no Docker engine configured");
        }

        try
        {
            var containers = await docker.ListContainersAsync([ContainerLabels.ManagedFilter(Streams.Prefix)], all: true, cancellationToken);
            return (containers
                .GroupBy(c => c.Labels.TryGetValue(ContainerLabels.DockerHost, out var host) ? host : "(no label)", StringComparer.Ordinal)
                .Select(g => new HostContainers(g.Key, g.Count(c => c.State == "running"), g.Count(c => c.State != "running")))
                .OrderBy(h => h.DockerHost, StringComparer.Ordinal)
                .ToList(), null);
        }
        catch (Exception ex) when (ex is DockerApiException or DockerUnreachableException)
        {
            return ([], "cannot list containers: " + ex.Message);
        }
    }

    private string? DeadJobId(StreamEntry entry) => DeadJobId(entry, Streams);

    /// <summary>The job a dead entry belongs to: the pending id when it died in pending, else its data's job_id.</summary>
    public static string? DeadJobId(StreamEntry entry, StreamNames streams) =>
        entry.Field(StreamFields.Source) == streams.Pending
            ? entry.Field(StreamFields.SourceId)
            : EntryData.Parse(entry.Field(StreamFields.Data)).JobId ?? entry.Field(StreamFields.SourceId);

    private static StageThroughput Throughput(string stage, IReadOnlyList<StreamEntry> entries, DateTimeOffset since)
    {
        var perMinute = new int[60];
        foreach (var entry in entries)
        {
            if (StreamIds.Time(entry.Id) is { } at && at >= since)
            {
                perMinute[Math.Min(59, (int)((at - since).TotalMinutes))]++;
            }
        }

        return new StageThroughput(stage, perMinute);
    }

    private static string Format(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
