using Correctomatic.Shared.Docker;
using Correctomatic.Starter;
using Microsoft.Extensions.Time.Testing;

namespace Correctomatic.Tests.Unit.Starter;

public sealed class RecentImagesTests
{
    private static readonly ImageInfo s_info = new("sha256:1", ["grader:1"], null, new Dictionary<string, string>());
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void Find_NeverRemembered_IsNull() =>
        Assert.Null(new RecentImages(_time).Find("grader:1"));

    [Fact]
    public void Find_RememberedInspect_IsReusedUntilItIsOneSecondOldCountedFromBeforeTheInspect()
    {
        var sut = new RecentImages(_time);
        var inspectedAt = _time.GetTimestamp();
        _time.Advance(TimeSpan.FromMilliseconds(300)); // the inspect's own round trip

        sut.Remember("grader:1", s_info, inspectedAt);
        Assert.Same(s_info, sut.Find("grader:1"));
        _time.Advance(RecentImages.MaxAge - TimeSpan.FromMilliseconds(301));
        Assert.Same(s_info, sut.Find("grader:1"));
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Null(sut.Find("grader:1"));
    }

    [Fact]
    public void Find_OtherReferenceOfTheSameImage_IsNotShared()
    {
        var sut = new RecentImages(_time);

        sut.Remember("grader:1", s_info, _time.GetTimestamp());

        Assert.Null(sut.Find("grader:latest"));
        Assert.Null(sut.Find("GRADER:1"));
    }

    [Fact]
    public void Find_Forgotten_IsNull()
    {
        var sut = new RecentImages(_time);
        sut.Remember("grader:1", s_info, _time.GetTimestamp());

        sut.Forget("grader:1");

        Assert.Null(sut.Find("grader:1"));
    }

    [Fact]
    public void Remember_PastCapacity_StartsOverWithTheNewOne()
    {
        var sut = new RecentImages(_time);
        for (var i = 0; i < RecentImages.Capacity; i++)
        {
            sut.Remember($"grader:{i}", s_info, _time.GetTimestamp());
        }

        sut.Remember("grader:new", s_info, _time.GetTimestamp());

        Assert.Null(sut.Find("grader:0"));
        Assert.Same(s_info, sut.Find("grader:new"));
    }
}
