using Correctomatic.Starter;

namespace Correctomatic.Tests.Unit.Starter;

public sealed class ContainerUserTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("root")]
    [InlineData("0")]
    [InlineData("0:0")]
    public void Choose_RootImage_FallbackUser(string? imageUser)
    {
        var user = ContainerUser.Choose(imageUser, new SandboxSettings());

        Assert.Equal("65534:65534", user.User);
        Assert.Equal(65534, user.FileUid);
    }

    [Fact]
    public void Choose_NumericImageUser_KeptAndOwnsFile()
    {
        var user = ContainerUser.Choose("1000:1001", new SandboxSettings());

        Assert.Equal(("1000:1001", 1000, 1001), (user.User, user.FileUid, user.FileGid));
    }

    [Fact]
    public void Choose_NamedImageUser_KeptFileWorldReadable()
    {
        var user = ContainerUser.Choose("grader", new SandboxSettings());

        Assert.Equal("grader", user.User);
        Assert.Equal(0b110_100_100, user.FileMode);
    }

    [Fact]
    public void Choose_RootImageNonRootOff_ImageDefault() =>
        Assert.Equal("", ContainerUser.Choose("root", new SandboxSettings { RunAsNonRoot = false }).User);

    [Theory]
    [InlineData("1000", 1000, 1000)]
    [InlineData("1000:50", 1000, 50)]
    public void ParseNumeric_Valid(string user, int uid, int gid) => Assert.Equal((uid, gid), ContainerUser.ParseNumeric(user));

    [Theory]
    [InlineData("grader")]
    [InlineData("1000:x")]
    [InlineData("-1")]
    public void ParseNumeric_Invalid_Null(string user) => Assert.Null(ContainerUser.ParseNumeric(user));
}
