using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Correctomatic.Shared.Contracts;

/// <summary>
/// Labels the starter puts on every grader container, so the completer and the operators find ours without asking Redis
/// (issue #5), and never by name pattern (issue #8).
/// </summary>
public static class ContainerLabels
{
    /// <summary>Marks a container as ours; its value is the queue prefix, so two deployments on one engine stay apart.</summary>
    public const string Managed = "correctomatic.managed";

    /// <summary>The job id: the id of the job's entry in <c>pending</c>.</summary>
    public const string JobId = "correctomatic.job_id";

    /// <summary>The caller's work id, when given.</summary>
    public const string WorkId = "correctomatic.work_id";

    /// <summary>Wall-clock deadline, unix milliseconds; past it the completer kills the container (status timeout).</summary>
    public const string Deadline = "correctomatic.deadline";

    /// <summary>The id of the Docker engine the starter created the container on (see <c>DOCKER_HOST_ID</c>).</summary>
    public const string DockerHost = "correctomatic.docker_host";

    public static string ManagedFilter(string queuePrefix) => $"{Managed}={queuePrefix}";

    public static string FormatDeadline(DateTimeOffset deadline) =>
        deadline.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);

    public static DateTimeOffset? ParseDeadline(string? value) =>
        long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms) ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;

    /// <summary>
    /// The container's name: fixed by prefix and job id, so a starter that reclaims a job after a crash finds the
    /// container an earlier attempt created (a name conflict) instead of leaking a second one.
    /// </summary>
    public static string ContainerName(string queuePrefix, string jobId)
    {
        var prefixTag = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(queuePrefix)))[..8];
        return $"correctomatic-{prefixTag}-{jobId}";
    }
}
