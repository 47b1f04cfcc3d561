using System.Net.Sockets;
using Correctomatic.Shared.Docker;
using StackExchange.Redis;

namespace Correctomatic.Shared.Hosting;

/// <summary>
/// The one place every stage decides what a failure is (issue #18), so the Starter, the Completer and the Notifier catch
/// the same things for the same reasons. What each stage then does is its own, and written at its catch site:
/// <list type="bullet">
/// <item>a loop (read, reclaim, renew, sweep) waits a moment after <see cref="FailureKind.Transient"/> and
/// <see cref="FailureKind.Poison"/> alike, since it has no job to blame;</item>
/// <item>on a job, <see cref="FailureKind.Transient"/> leaves it as it is for later, and <see cref="FailureKind.Poison"/>
/// counts towards the job's bounded outcome (the Completer's COMPLETER_MAX_COMPLETION_ATTEMPTS, the queue's
/// QUEUE_MAX_DELIVERIES), so a job that always fails ends with a verdict instead of looping;</item>
/// <item><see cref="FailureKind.Fatal"/> is let through (Hangfire's catch filters, STYLE).</item>
/// </list>
/// </summary>
public static class FailurePolicy
{
    public static FailureKind Classify(Exception exception) => exception switch
    {
        // StackOverflowException cannot be caught in .NET (the process ends), but one thrown by hand would be a bug too.
        OutOfMemoryException or InsufficientExecutionStackException or StackOverflowException or AccessViolationException
            or InvalidProgramException => FailureKind.Fatal,

        // Built by our adapters (Shared/Docker/DockerErrors.cs; Shared/Redis/StreamQueue.cs throws TimeoutException after
        // its script retries) or thrown by StackExchange.Redis while it reconnects. RedisTimeoutException is a TimeoutException.
        RedisConnectionException or DockerUnreachableException or TimeoutException or IOException or SocketException => FailureKind.Transient,

        // An answer that is an error (RedisServerException, DockerApiException: the engine refused this job's request,
        // e.g. a 501 on the logs of a container whose log driver keeps none), a cancellation by a job's own time bound,
        // data that cannot be read (JsonException, FormatException), and bugs.
        _ => FailureKind.Poison,
    };

    /// <summary>For catch filters: <c>catch (Exception ex) when (!FailurePolicy.IsFatal(ex))</c>.</summary>
    public static bool IsFatal(Exception exception) => Classify(exception) == FailureKind.Fatal;

    /// <summary>Redis or the engine unreachable: never counted against a job.</summary>
    public static bool IsTransient(Exception exception) => Classify(exception) == FailureKind.Transient;
}
