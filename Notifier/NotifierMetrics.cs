using System.Diagnostics.Metrics;
using Correctomatic.Notifier.Delivery;
using Correctomatic.Shared.Hosting;

namespace Correctomatic.Notifier;

/// <summary>
/// The notifier's instruments (issue #16), recorded where an attempt's or a callback's outcome is known. Every
/// measurement carries the stream (messaging.destination.name), so deployments (queue prefixes) sharing a process stay apart.
/// </summary>
internal static class NotifierMetrics
{
    private const string Stage = "notifier";
    private static readonly Meter s_meter = new(ServiceIdentity.Notifier.MeterName);

    private static readonly Counter<long> s_jobs = s_meter.CreateCounter<long>("correctomatic.jobs", "{job}",
        "Jobs by stage and outcome: delivered, dead (callback given up), invalid (finished entry unusable, dead-lettered)");

    private static readonly Counter<long> s_attempts = s_meter.CreateCounter<long>("correctomatic.callback.attempts", "{attempt}",
        "Callback POSTs by outcome: delivered, retry, final");

    private static readonly Counter<long> s_retries = s_meter.CreateCounter<long>("correctomatic.callback.retries", "{retry}",
        "Callback retries scheduled");

    private static readonly Counter<long> s_deadLetters = s_meter.CreateCounter<long>("correctomatic.callback.dead_letters", "{job}",
        "Callbacks given up and moved to the dead stream");

    private static readonly Histogram<double> s_attemptDuration = s_meter.CreateHistogram("correctomatic.callback.attempt.duration", "s",
        "One callback POST, request to answer", advice: Instruments.Seconds);

    private static readonly Histogram<double> s_delivery = s_meter.CreateHistogram("correctomatic.callback.delivery.duration", "s",
        "From the result entering the finished stream to the receiver's 2xx, retries included", advice: Instruments.Seconds);

    private static readonly Counter<long> s_errors = Instruments.CreateErrors(s_meter);

    public static void Attempt(string stream, AttemptOutcome outcome)
    {
        var kind = outcome.Kind.ToString().ToLowerInvariant();
        s_attempts.Add(1, Tag(Instruments.Destination, stream), Tag("correctomatic.callback.outcome", kind));
        s_attemptDuration.Record(outcome.ElapsedMs / 1000.0, Tag(Instruments.Destination, stream), Tag("correctomatic.callback.outcome", kind));
    }

    public static void Retry(string stream) => s_retries.Add(1, Tag(Instruments.Destination, stream));

    public static void Delivered(string stream, string entryId, DateTimeOffset now)
    {
        Job(stream, "delivered");
        if (Instruments.EntryTime(entryId) is { } added)
        {
            s_delivery.Record(Math.Max(0, (now - added).TotalSeconds), Tag(Instruments.Destination, stream));
        }
    }

    public static void DeadLettered(string stream)
    {
        Job(stream, "dead");
        s_deadLetters.Add(1, Tag(Instruments.Destination, stream));
    }

    public static void Job(string stream, string status) =>
        s_jobs.Add(1, Tag(Instruments.Stage, Stage), Tag(Instruments.Status, status), Tag(Instruments.Destination, stream));

    public static void Error(Exception exception) => Instruments.RecordError(s_errors, Stage, exception);

    private static KeyValuePair<string, object?> Tag(string key, object? value) => new(key, value);
}
