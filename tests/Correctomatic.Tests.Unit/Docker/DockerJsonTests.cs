using System.Text;
using Correctomatic.Shared.Docker;

namespace Correctomatic.Tests.Unit.Docker;

public sealed class DockerJsonTests
{
    [Fact]
    public void ParseContainer_ExitedAndNeverStarted_StateWithNanosecondTimesAndZeroTimeAsNull()
    {
        const string Body = """
            {"Id":"abc","Name":"/job-1","Image":"sha256:1","Config":{"Image":"correctomatic/busybox:latest","Labels":{"k":"v"}},
             "State":{"Status":"exited","Running":false,"OOMKilled":true,"ExitCode":137,"Error":"",
                      "StartedAt":"2026-11-22T01:20:01.123456789Z","FinishedAt":"0001-01-01T00:00:00Z"}}
            """;

        var info = DockerJson.ParseContainer(Body);

        Assert.Equal("job-1", info.Name);
        Assert.Equal("correctomatic/busybox:latest", info.Image);
        Assert.Equal("v", info.Labels["k"]);
        Assert.Equal("exited", info.State.Status);
        Assert.True(info.State.OomKilled);
        Assert.Equal(137, info.State.ExitCode);
        Assert.Null(info.State.Error);
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 1, 20, 1, TimeSpan.Zero).AddTicks(1_234_568), info.State.StartedAt); // nanoseconds rounded to 100 ns ticks
        Assert.Null(info.State.FinishedAt);
    }

    [Fact]
    public void ParseEvent_ContainerDie_ActorAttributesAndTimeNano()
    {
        var line = Encoding.UTF8.GetBytes("""
            {"status":"die","id":"c1","from":"img","Type":"container","Action":"die","Actor":{"ID":"c1","Attributes":{"exitCode":"3","image":"img"}},"scope":"local","time":1700000000,"timeNano":1700000000123456789}
            """);

        var e = DockerJson.ParseEvent(line);

        Assert.Equal(("container", "die", "c1", 1700000000123456789L), (e.Type, e.Action, e.ActorId, e.TimeNano));
        Assert.Equal("3", e.Attributes["exitCode"]);
    }

    [Fact]
    public void ParseWait_WithError_ReturnsCodeAndMessage()
    {
        Assert.Equal(3, DockerJson.ParseWait("""{"StatusCode":3,"Error":null}""", out var none));
        Assert.Null(none);
        Assert.Equal(-1, DockerJson.ParseWait("""{"StatusCode":-1,"Error":{"Message":"boom"}}""", out var error));
        Assert.Equal("boom", error);
    }

    [Theory]
    [InlineData("busybox", "busybox", "latest")]
    [InlineData("correctomatic/busybox:1.36", "correctomatic/busybox", "1.36")]
    [InlineData("registry:5000/team/img", "registry:5000/team/img", "latest")]
    [InlineData("registry:5000/team/img:v2", "registry:5000/team/img", "v2")]
    [InlineData("img@sha256:abc", "img", "sha256:abc")]
    public void SplitReference_LikeTheCli_DefaultsToLatest(string image, string repository, string tag)
    {
        Assert.Equal((repository, tag), DockerClient.SplitReference(image));
    }

    [Fact]
    public void RegistryAuth_Credentials_Base64UrlJsonAuthConfig()
    {
        var header = DockerClient.RegistryAuth(new RegistryCredentials("u", "p?>>", "reg.example"));

        var json = Encoding.UTF8.GetString(Convert.FromBase64String(header.Replace('-', '+').Replace('_', '/')));
        Assert.DoesNotContain('+', header);
        Assert.DoesNotContain('/', header);
        Assert.Equal("""{"username":"u","password":"p?\u003E\u003E","serveraddress":"reg.example"}""", json);
    }

    [Fact]
    public void Filters_EmptyListsLeftOut_JsonMap()
    {
        Assert.Equal("""{"type":["container"],"label":["a=b","c"]}""",
            DockerClient.Filters(("type", ["container"]), ("label", ["a=b", "c"]), ("event", [])));
    }
}
