using System.Net;
using Correctomatic.Shared.Docker;

namespace Correctomatic.Tests.Unit.Docker;

/// <summary>One place maps engine answers to exception types (Engine API "Errors": {"message": "..."}).</summary>
public sealed class DockerErrorsTests
{
    [Theory]
    [InlineData(HttpStatusCode.NotFound, """{"message":"No such image: a/b:latest"}""", typeof(DockerNoSuchImageException), "No such image: a/b:latest")]
    [InlineData(HttpStatusCode.NotFound, """{"message":"No such container: c1"}""", typeof(DockerNoSuchContainerException), "No such container: c1")]
    [InlineData(HttpStatusCode.NotFound, """{"message":"Cannot kill container: c1: No such container: c1"}""", typeof(DockerNoSuchContainerException), "Cannot kill container: c1: No such container: c1")]
    [InlineData(HttpStatusCode.NotFound, """{"message":"Could not find the file /nope in container c1"}""", typeof(DockerApiException), "Could not find the file /nope in container c1")]
    [InlineData(HttpStatusCode.Conflict, """{"message":"Conflict. The container name \"/x\" is already in use"}""", typeof(DockerConflictException), "Conflict. The container name \"/x\" is already in use")]
    [InlineData(HttpStatusCode.InternalServerError, "plain text from a proxy\n", typeof(DockerApiException), "plain text from a proxy")]
    [InlineData(HttpStatusCode.BadRequest, "", typeof(DockerApiException), "(empty answer)")]
    public void FromResponse_StatusAndMessage_TypedWithTheEngineMessage(HttpStatusCode status, string body, Type expected, string message)
    {
        var ex = DockerErrors.FromResponse(status, body);

        Assert.IsType(expected, ex);
        Assert.Equal(status, ex.StatusCode);
        Assert.Equal(message, ex.EngineMessage);
        Assert.Equal(message, ex.Message);
    }

    [Fact]
    public void FromStream_PullFailure_NoSuchImageWhenNotFound()
    {
        Assert.IsType<DockerNoSuchImageException>(DockerErrors.FromStream("manifest for a/b:latest not found: manifest unknown"));
        Assert.IsType<DockerApiException>(DockerErrors.FromStream("Get https://registry/v2/: dial tcp: i/o timeout"));
    }

    [Fact]
    public void Translate_LibraryAndTransportFailures_OursNamingTheEndpoint()
    {
        const string Endpoint = "unix:///e.sock";

        var notFound = DockerErrors.Translate(new global::Docker.DotNet.DockerContainerNotFoundException(HttpStatusCode.NotFound, """{"message":"No such container: c1"}"""), Endpoint, default);
        var refused = DockerErrors.Translate(new HttpRequestException("Connection failed.", new System.Net.Sockets.SocketException(111)), Endpoint, default);
        var timedOut = DockerErrors.Translate(new TaskCanceledException(), Endpoint, default);
        var midFrame = DockerErrors.Translate(new EndOfStreamException(), Endpoint, default);

        Assert.Equal("No such container: c1", Assert.IsType<DockerNoSuchContainerException>(notFound).EngineMessage);
        Assert.Contains(Endpoint, Assert.IsType<DockerUnreachableException>(refused).Message, StringComparison.Ordinal);
        Assert.Contains("Connection refused", refused.Message, StringComparison.Ordinal);
        Assert.Contains("in time", Assert.IsType<DockerUnreachableException>(timedOut).Message, StringComparison.Ordinal);
        Assert.IsType<DockerUnreachableException>(midFrame);
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError, """{"message":"transport is closing: unavailable"}""")]
    [InlineData(HttpStatusCode.InternalServerError, """{"message":"connection error: desc = \"transport: Error while dialing dial unix:///run/containerd.sock: timeout\": unavailable"}""")]
    [InlineData(HttpStatusCode.ServiceUnavailable, """{"message":"the daemon is shutting down"}""")]
    public void Translate_EngineUnavailableWhileItRestarts_UnreachableNotAnErrorAnswer(HttpStatusCode status, string body)
    {
        var ex = DockerErrors.Translate(new global::Docker.DotNet.DockerApiException(status, body), "unix:///e.sock", default);

        var unreachable = Assert.IsType<DockerUnreachableException>(ex);
        Assert.StartsWith("the Docker engine at unix:///e.sock is unavailable: ", unreachable.Message, StringComparison.Ordinal);
        Assert.True(Correctomatic.Shared.Hosting.FailurePolicy.IsTransient(unreachable));
    }

    [Theory]
    [InlineData("""{"message":"OCI runtime create failed: exec: \"/nope\": stat /nope: no such file or directory: unknown"}""")]
    [InlineData("""{"message":"the service is unavailable for this image"}""")]
    public void Translate_OtherEngineErrors_StayErrorAnswers(string body) =>
        Assert.IsType<DockerApiException>(DockerErrors.Translate(new global::Docker.DotNet.DockerApiException(HttpStatusCode.InternalServerError, body), "e", default));

    [Fact]
    public void Translate_CallerCancelled_StaysACancellationAndOursPassThrough()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        var wrapped = DockerErrors.Translate(new HttpRequestException("The requested failed", new OperationCanceledException()), "e", cts.Token);

        Assert.Equal(cts.Token, Assert.IsType<OperationCanceledException>(wrapped).CancellationToken);
        Assert.Null(DockerErrors.Translate(new OperationCanceledException(cts.Token), "e", cts.Token));
        Assert.Null(DockerErrors.Translate(new DockerConflictException("x"), "e", default));
    }
}
