using Correctomatic.Shared.Configuration;

namespace Correctomatic.Tests.Unit.Configuration;

public sealed class DurationsTests
{
    [Theory]
    [InlineData("250ms", 250)]
    [InlineData("30s", 30_000)]
    [InlineData("1.5s", 1_500)]
    [InlineData("5m", 300_000)]
    [InlineData("2h", 7_200_000)]
    [InlineData("1d", 86_400_000)]
    [InlineData("00:01:30", 90_000)]
    public void TryParse_KnownForms_GiveTheDuration(string text, long milliseconds)
    {
        Assert.True(Durations.TryParse(text, out var value));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("30")]
    [InlineData("-5s")]
    [InlineData("fives")]
    [InlineData("NaNs")]
    [InlineData("1e15s")]
    [InlineData("1e300d")]
    public void TryParse_BadText_Fails(string text) => Assert.False(Durations.TryParse(text, out _));
}
