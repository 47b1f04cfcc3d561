using Correctomatic.Shared.Contracts;

namespace Correctomatic.Tests.Unit.Contracts;

public sealed class JobAttemptTests
{
    private const string Entry = "1700000005000-0";

    [Fact]
    public void OfPending_NoFields_FirstAttemptUnderTheEntryId() =>
        Assert.Equal((Entry, 1), JobAttempt.OfPending(Entry, null, null));

    [Theory]
    [InlineData("2")]
    [InlineData("11")]
    public void OfPending_RerunOfAnEarlierId_KeepsTheEarlierId(string attempt) =>
        Assert.Equal(("1700000001000-3", int.Parse(attempt, System.Globalization.CultureInfo.InvariantCulture)),
            JobAttempt.OfPending(Entry, "1700000001000-3", attempt));

    [Theory]
    [InlineData("1700000001000-0", "1")]    // attempt 1 is the entry's own
    [InlineData("1700000001000-0", "12")]   // above the highest attempt
    [InlineData("1700000001000-0", "-2")]
    [InlineData("1700000001000-0", "two")]
    [InlineData("1700000001000-0", null)]
    [InlineData(null, "2")]
    [InlineData("1700000009000-0", "2")]    // not earlier than the entry
    [InlineData(Entry, "2")]                // the entry itself
    [InlineData("1700000001000", "2")]      // not a full id
    [InlineData("0-0", "2")]
    [InlineData("abc-1", "2")]
    [InlineData("../etc", "2")]
    public void OfPending_FieldsThatDoNotMakeARerun_FirstAttemptUnderTheEntryId(string? jobId, string? attempt) =>
        Assert.Equal((Entry, 1), JobAttempt.OfPending(Entry, jobId, attempt));

    [Theory]
    [InlineData(null, 1)]
    [InlineData("1", 1)]
    [InlineData("3", 3)]
    [InlineData("0", 1)]
    [InlineData("99", 1)]
    [InlineData("x", 1)]
    public void OfRunning_Field_AttemptOrOne(string? field, int expected) => Assert.Equal(expected, JobAttempt.OfRunning(field));
}
