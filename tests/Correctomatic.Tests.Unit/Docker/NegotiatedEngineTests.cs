using Correctomatic.Shared.Docker;

namespace Correctomatic.Tests.Unit.Docker;

/// <summary>Negotiation as the docker CLI does it: the lower of the engine's version and ours, compared as numbers.</summary>
public sealed class NegotiatedEngineTests
{
    [Theory]
    [InlineData("1.41", "1.41")] // Debian 12's engine (20.10)
    [InlineData("1.54", "1.54")]
    [InlineData("1.60", "1.54")] // newer than the library: speak ours
    [InlineData("1.9", null)] // 1.9 < 1.30 numerically, though "1.9" > "1.30" as text
    [InlineData("", null)]
    [InlineData("1.41.2", null)]
    public void Negotiate_EngineVersion_LowerOfBothOrRefused(string engine, string? expected)
    {
        if (expected is null)
        {
            var ex = Assert.ThrowsAny<DockerApiException>(() => NegotiatedEngine.Negotiate(engine, "unix:///e.sock"));
            Assert.Contains("unix:///e.sock", ex.Message, StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal(expected, NegotiatedEngine.Negotiate(engine, "unix:///e.sock"));
        }
    }
}
