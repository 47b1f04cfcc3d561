using Correctomatic.Shared.Contracts;

namespace Correctomatic.Tests.Unit.Contracts;

public sealed class StreamIdTests
{
    [Theory]
    [InlineData("1-0", "1-1")]
    [InlineData("1700000000000-5", "1700000000000-6")]
    [InlineData("7-18446744073709551615", "8-0")]
    public void Next_Id_IsTheSmallestGreaterId(string id, string expected) =>
        Assert.Equal(expected, StreamId.Parse(id).Next().ToString());

    [Theory]
    [InlineData("1-0", "0-9", 1)]
    [InlineData("5-2", "5-10", -1)]
    [InlineData("10-0", "9-99", 1)]
    [InlineData("3-3", "3-3", 0)]
    public void CompareTo_Ids_OrdersNumericallyNotAsText(string a, string b, int expected) =>
        Assert.Equal(expected, Math.Sign(StreamId.Parse(a).CompareTo(StreamId.Parse(b))));

    [Theory]
    [InlineData("")]
    [InlineData("a-1")]
    [InlineData("1-")]
    [InlineData("-1")]
    public void TryParse_NotAnId_ReturnsFalse(string text) => Assert.False(StreamId.TryParse(text, out _));
}
