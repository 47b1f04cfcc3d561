using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Correctomatic.Shared.Docker;
using Correctomatic.Shared.Hosting;
using StackExchange.Redis;

namespace Correctomatic.Tests.Unit.Hosting;

public sealed class FailurePolicyTests
{
    public static TheoryData<Exception, FailureKind> Failures() => new()
    {
        // Redis or the engine unreachable, or no answer in time: what our adapters and StackExchange.Redis throw.
        { new RedisConnectionException(ConnectionFailureType.SocketFailure, CommandFlags.None, "No connection is active/available", null, CommandStatus.Unknown), FailureKind.Transient },
        { new RedisTimeoutException(CommandFlags.None, "Timeout performing EVALSHA", CommandStatus.Sent), FailureKind.Transient },
        { new DockerUnreachableException("the Docker engine at unix:///var/run/docker.sock does not answer", new SocketException()), FailureKind.Transient },
        { new TimeoutException("the script did not run in 3 attempts"), FailureKind.Transient },
        { new IOException("Connection reset by peer"), FailureKind.Transient },
        { new SocketException((int)SocketError.ConnectionRefused), FailureKind.Transient },

        // An error answer, data that cannot be read, a bug: perhaps the job's, so counted towards its bounded outcome.
        { new DockerApiException(HttpStatusCode.NotImplemented, "configured logging driver does not support reading"), FailureKind.Poison },
        { new DockerNoSuchContainerException("No such container: abc"), FailureKind.Poison },
        { new DockerConflictException("removal of container abc is already in progress"), FailureKind.Poison },
        { new RedisServerException(RedisErrorKind.WrongType, CommandFlags.None, "WRONGTYPE Operation against a key holding the wrong kind of value"), FailureKind.Poison },
        { new JsonException("'{' is invalid after a value"), FailureKind.Poison },
        { new FormatException("'x' is not a stream id (ms-seq)"), FailureKind.Poison },
        { new InvalidOperationException("a lone UTF-16 surrogate"), FailureKind.Poison },
        { new NullReferenceException(), FailureKind.Poison },
        { new ArgumentException("bad"), FailureKind.Poison },

        // The process cannot go on.
        { new OutOfMemoryException(), FailureKind.Fatal },
        { new InsufficientExecutionStackException(), FailureKind.Fatal },
        { new InvalidProgramException(), FailureKind.Fatal },
        { new AccessViolationException(), FailureKind.Fatal },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void Classify_Failure_ItsKind(Exception exception, FailureKind expected)
    {
        Assert.Equal(expected, FailurePolicy.Classify(exception));
        Assert.Equal(expected == FailureKind.Transient, FailurePolicy.IsTransient(exception));
        Assert.Equal(expected == FailureKind.Fatal, FailurePolicy.IsFatal(exception));
    }

    [Fact]
    public void Classify_CancelledByATimeBoundOfTheJob_Poison()
    {
        // The Completer's bound on one completion: a job that always runs out of time must end, not be retried forever.
        using var bound = new CancellationTokenSource();
        bound.Cancel();

        Assert.Equal(FailureKind.Poison, FailurePolicy.Classify(new TaskCanceledException("a task was canceled", null, bound.Token)));
    }
}
