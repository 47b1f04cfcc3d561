using System.Diagnostics.Metrics;
using Correctomatic.Shared.Hosting;

namespace Correctomatic.Starter;

/// <summary>
/// The starter's instruments (issue #16), recorded where JobProcessor knows a job's outcome. Every measurement carries the
/// stream (messaging.destination.name), so deployments (queue prefixes) sharing a process stay apart.
/// </summary>
internal static class StarterMetrics
{
    private const string Stage = "starter";
    private static readonly Meter s_meter = new(ServiceIdentity.Starter.MeterName);

    private static readonly Counter<long> s_jobs = s_meter.CreateCounter<long>("correctomatic.jobs", "{job}",
        "Jobs by stage and outcome: started, rejected, error, dead, retry (left pending for a retry)");

    private static readonly Histogram<double> s_queueWait = s_meter.CreateHistogram("correctomatic.job.queue_wait.duration", "s",
        "From the producer's XADD to the starter taking the job", advice: Instruments.Seconds);

    private static readonly Histogram<double> s_createStart = s_meter.CreateHistogram("correctomatic.container.create_start.duration", "s",
        "Creating the container, copying the submission in and starting it", advice: Instruments.Seconds);

    private static readonly Counter<long> s_errors = Instruments.CreateErrors(s_meter);

    public static void Job(string stream, string status) =>
        s_jobs.Add(1, Tag(Instruments.Stage, Stage), Tag(Instruments.Status, status), Tag(Instruments.Destination, stream));

    public static void QueueWait(string stream, TimeSpan wait) =>
        s_queueWait.Record(Math.Max(0, wait.TotalSeconds), Tag(Instruments.Destination, stream));

    public static void Started(string stream, TimeSpan createAndStart)
    {
        s_createStart.Record(createAndStart.TotalSeconds, Tag(Instruments.Destination, stream));
        Job(stream, "started");
    }

    public static void Error(Exception exception) => Instruments.RecordError(s_errors, Stage, exception);

    private static KeyValuePair<string, object?> Tag(string key, object? value) => new(key, value);
}
