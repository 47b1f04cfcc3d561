using Correctomatic.Cli.Dashboard;

namespace Correctomatic.Tests.Unit.Cli.Dashboard;

public sealed class StreamIdsTests
{
    [Theory]
    [InlineData("1700000000000-0", true)]
    [InlineData("1-2", true)]
    [InlineData("work-42", false)]
    [InlineData("1700000000000", false)]
    [InlineData("-1", false)]
    [InlineData("1--2", false)]
    public void IsId_Value_TellsAStreamIdFromAWorkId(string value, bool expected) => Assert.Equal(expected, StreamIds.IsId(value));

    [Fact]
    public void Time_StreamId_IsItsMillisecondTimestamp() =>
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123), StreamIds.Time("1700000000123-7"));

    [Fact]
    public void Compare_SameMillisecond_OrderedBySequenceNumerically()
    {
        Assert.True(StreamIds.Compare("5-10", "5-9") > 0);
        Assert.True(StreamIds.Compare("10-0", "9-99") > 0);
        Assert.Equal(0, StreamIds.Compare("5-1", "5-1"));
    }
}
