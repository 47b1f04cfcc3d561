using System.Diagnostics.Metrics;
using Correctomatic.Shared.Docker;
using Correctomatic.Shared.Redis;

namespace Correctomatic.Shared.Hosting;

/// <summary>
/// What the services' <c>…Metrics</c> classes share (issue #16): attribute names, histogram buckets in seconds, and the
/// classification of a failure as a Redis or a Docker error. Names follow the OpenTelemetry semantic conventions where
/// one exists (messaging.*, error.type; units in UCUM); the rest live under <c>correctomatic.*</c>.
/// </summary>
public static class Instruments
{
    public const string Stage = "correctomatic.stage";
    public const string Status = "correctomatic.job.status";
    public const string Destination = "messaging.destination.name";
    public const string ConsumerGroup = "messaging.consumer.group.name";
    public const string MessagingSystem = "messaging.system";
    public const string DockerHost = "correctomatic.docker.host";
    public const string Dependency = "correctomatic.dependency";
    public const string ErrorType = "error.type";

    /// <summary>Buckets from 5 ms to 1 h: a container start takes ~0.1 s, a grader up to minutes, a callback retry up to a day's backoff.</summary>
    public static readonly InstrumentAdvice<double> Seconds = new()
    {
        HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600],
    };

    /// <summary>The counter every service has: failures talking to Redis or Docker (or anything else), by exception type.</summary>
    public static Counter<long> CreateErrors(Meter meter) =>
        meter.CreateCounter<long>("correctomatic.errors", "{error}", "Failures reaching Redis or the Docker engine (correctomatic.dependency), or others");

    /// <summary>Records <paramref name="exception"/> on <paramref name="errors"/> with its dependency and type.</summary>
    public static void RecordError(Counter<long> errors, string stage, Exception exception) =>
        errors.Add(1, new KeyValuePair<string, object?>(Stage, stage), new KeyValuePair<string, object?>(Dependency, DependencyOf(exception)),
            new KeyValuePair<string, object?>(ErrorType, exception.GetType().Name));

    /// <summary>redis, docker or other, from the exception's type (the adapters' own exception types, STYLE habit 7).</summary>
    public static string DependencyOf(Exception exception) => exception switch
    {
        StackExchange.Redis.RedisException => "redis",
        DockerUnreachableException or DockerApiException => "docker",
        _ when exception.GetType().Namespace?.StartsWith("StackExchange.Redis", StringComparison.Ordinal) == true => "redis",
        _ when exception.GetType().Namespace?.StartsWith("Docker.DotNet", StringComparison.Ordinal) == true => "docker",
        _ => "other",
    };

    /// <summary>When a stream entry was added: the millisecond part of its id ("1700000000000-0"); null when unparsable.</summary>
    public static DateTimeOffset? EntryTime(string entryId)
    {
        var dash = entryId.IndexOf('-', StringComparison.Ordinal);
        return long.TryParse(dash > 0 ? entryId[..dash] : entryId, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var ms)
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : null;
    }
}
