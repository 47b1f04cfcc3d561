using System.Net;
using Correctomatic.Notifier.Addressing;

namespace Correctomatic.Tests.Unit.Notifier;

public sealed class CallbackAddressPolicyTests
{
    private static CallbackAddressPolicy CreateSut(params string[] allowed) => new(allowed.Select(IPNetwork.Parse).ToList());

    [Theory]
    [InlineData("93.184.216.34")]
    [InlineData("8.8.8.8")]
    [InlineData("2606:4700::1111")]
    public void Check_PublicAddress_IsAllowed(string address)
    {
        Assert.Null(CreateSut().Check(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("10.1.2.3")]
    [InlineData("172.20.0.5")]
    [InlineData("192.168.1.1")]
    [InlineData("100.64.0.1")]
    [InlineData("::1")]
    [InlineData("fd12::1")]
    [InlineData("::ffff:127.0.0.1")]
    public void Check_PrivateOrLoopbackNotListed_IsRefused(string address)
    {
        Assert.Contains("CALLBACK_ALLOWED_NETWORKS", CreateSut().Check(IPAddress.Parse(address)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("127.0.0.1", "127.0.0.0/8")]
    [InlineData("::ffff:127.0.0.1", "127.0.0.0/8")]
    [InlineData("10.1.2.3", "10.0.0.0/8")]
    [InlineData("::1", "::1/128")]
    public void Check_PrivateListed_IsAllowed(string address, string allowed)
    {
        Assert.Null(CreateSut(allowed).Check(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("169.254.169.254")]
    [InlineData("169.254.1.1")]
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("fe80::1")]
    [InlineData("fd00:ec2::254")]
    [InlineData("100.100.100.200")]
    [InlineData("0.0.0.0")]
    [InlineData("224.0.0.1")]
    public void Check_LinkLocalOrMetadata_IsRefusedEvenWhenListed(string address)
    {
        var sut = CreateSut("0.0.0.0/0", "::/0");

        Assert.Contains("always refused", sut.Check(IPAddress.Parse(address)), StringComparison.Ordinal);
    }
}
