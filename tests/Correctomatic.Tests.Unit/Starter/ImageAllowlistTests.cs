using Correctomatic.Starter;

namespace Correctomatic.Tests.Unit.Starter;

public sealed class ImageAllowlistTests
{
    [Theory]
    [InlineData("correctomatic/grader-shell")]
    [InlineData("correctomatic/grader-shell:latest")]
    [InlineData("correctomatic/busybox@sha256:abc123")]
    public void IsAllowed_DefaultPatternAndItsImages_True(string image) =>
        Assert.True(new ImageAllowlist(["correctomatic/*"]).IsAllowed(image));

    [Theory]
    [InlineData("evil/grader")]
    [InlineData("correctomatic/a/b")]
    [InlineData("docker.io/correctomatic/grader")]
    [InlineData("correctomatic")]
    [InlineData("correctomatic/*")]
    [InlineData("")]
    public void IsAllowed_OutsideDefaultPattern_False(string image) =>
        Assert.False(new ImageAllowlist(["correctomatic/*"]).IsAllowed(image));

    [Fact]
    public void IsAllowed_PatternWithTag_OnlyThatTag()
    {
        var sut = new ImageAllowlist(["registry.local:5000/graders/python:3.*"]);

        Assert.True(sut.IsAllowed("registry.local:5000/graders/python:3.12"));
        Assert.False(sut.IsAllowed("registry.local:5000/graders/python:2.7"));
        Assert.False(sut.IsAllowed("registry.local:5000/graders/python"));
    }

    [Fact]
    public void IsAllowed_DoubleStar_CrossesSlashes()
    {
        var sut = new ImageAllowlist(["registry.local/**"]);

        Assert.True(sut.IsAllowed("registry.local/a/b/c:1"));
        Assert.False(sut.IsAllowed("other.local/a"));
    }

    [Fact]
    public void AllowsAll_ExplicitStar_TrueAndAllowsAnything()
    {
        var sut = new ImageAllowlist(["*"]);

        Assert.True(sut.AllowsAll);
        Assert.True(sut.IsAllowed("anything/at:all"));
    }

    [Fact]
    public void AllowsAll_DefaultPattern_False() => Assert.False(new ImageAllowlist(["correctomatic/*"]).AllowsAll);

    [Theory]
    [InlineData("correctomatic/*", true)]
    [InlineData("a b", false)]
    [InlineData("x;rm", false)]
    public void IsValidPattern_Examples(string pattern, bool valid) => Assert.Equal(valid, ImageAllowlist.IsValidPattern(pattern));
}
