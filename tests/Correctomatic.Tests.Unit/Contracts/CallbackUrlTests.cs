using Correctomatic.Shared.Contracts;

namespace Correctomatic.Tests.Unit.Contracts;

public sealed class CallbackUrlTests
{
    [Theory]
    [InlineData("http://lms.local/cb")]
    [InlineData("https://lms.example:8443/cb?job=1")]
    [InlineData("http://127.0.0.1:9/cb")]
    [InlineData("HTTP://LMS.local/cb")]
    public void TryParse_AbsoluteHttpUrl_TheUri(string callback)
    {
        Assert.True(CallbackUrl.TryParse(callback, out var uri));
        Assert.Equal(new Uri(callback), uri);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("/relative")]
    [InlineData("lms.local/cb")]
    [InlineData("ftp://x/y")]
    [InlineData("file:///etc/passwd")]
    [InlineData("mailto:a@b.c")]
    [InlineData("http:///no-host")]
    [InlineData("not a url")]
    public void TryParse_NotAnAbsoluteHttpUrlWithAHost_False(string? callback)
    {
        Assert.False(CallbackUrl.TryParse(callback, out var uri));
        Assert.Null(uri);
    }
}
