using System.Diagnostics.Metrics;
using Correctomatic.Shared.Contracts;
using Correctomatic.Shared.Hosting;

namespace Correctomatic.Completer;

/// <summary>
/// The completer's instruments (issue #16), recorded where a job's completion is known. Every measurement carries the
/// stream (messaging.destination.name), so deployments (queue prefixes) sharing a process stay apart.
/// </summary>
internal static class CompleterMetrics
{
    private const string Stage = "completer";
    private static readonly Meter s_meter = new(ServiceIdentity.Completer.MeterName);

    private static readonly Counter<long> s_jobs = s_meter.CreateCounter<long>("correctomatic.jobs", "{job}",
        "Jobs by stage and outcome: the callback status (graded, grader_failed, timeout, …), or dead for an unusable running entry");

    private static readonly Histogram<double> s_run = s_meter.CreateHistogram("correctomatic.container.run.duration", "s",
        "How long the grader container ran (started to finished)", advice: Instruments.Seconds);

    private static readonly Histogram<double> s_completion = s_meter.CreateHistogram("correctomatic.job.completion.duration", "s",
        "Reading, classifying and handing off a finished container's result", advice: Instruments.Seconds);

    private static readonly Counter<long> s_errors = Instruments.CreateErrors(s_meter);

    public static void Completed(string stream, CorrectionResult result, TimeSpan completion)
    {
        var status = ContractJson.Name(result.Status);
        s_jobs.Add(1, Tag(Instruments.Stage, Stage), Tag(Instruments.Status, status), Tag(Instruments.Destination, stream));
        s_completion.Record(completion.TotalSeconds, Tag(Instruments.Destination, stream), Tag(Instruments.Status, status));
        if (result.Timings is { StartedAt: { } started, FinishedAt: { } finished })
        {
            s_run.Record(Math.Max(0, (finished - started).TotalSeconds), Tag(Instruments.Destination, stream), Tag(Instruments.Status, status));
        }
    }

    public static void Dead(string stream) =>
        s_jobs.Add(1, Tag(Instruments.Stage, Stage), Tag(Instruments.Status, "dead"), Tag(Instruments.Destination, stream));

    /// <summary>A job put back into pending after an infrastructure fault (issue #15).</summary>
    public static void Rerun(string stream) =>
        s_jobs.Add(1, Tag(Instruments.Stage, Stage), Tag(Instruments.Status, "rerun"), Tag(Instruments.Destination, stream));

    public static void Error(Exception exception) => Instruments.RecordError(s_errors, Stage, exception);

    private static KeyValuePair<string, object?> Tag(string key, object? value) => new(key, value);
}
