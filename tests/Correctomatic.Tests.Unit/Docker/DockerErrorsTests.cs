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
}
