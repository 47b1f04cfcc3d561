using Correctomatic.Cli.Dashboard;

namespace Correctomatic.Tests.Unit.Cli.Dashboard;

public sealed class EntryDataTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("{\"response\":\"text\"}")]
    public void Parse_UntrustedData_EmptyNotAnException(string? data) => Assert.Equal(EntryData.Empty, EntryData.Parse(data));

    [Fact]
    public void Parse_FinishedEntry_ReadsTheResponse()
    {
        var data = EntryData.Parse("""
            {"job_id":"1-0","callback":"http://x/","response":{"job_id":"1-0","work_id":"w","status":"graded","grade":7.5,"max_grade":10,
             "timings":{"started_at":"2026-12-01T10:00:00Z","finished_at":"2026-12-01T10:00:02Z"}}}
            """);

        Assert.Equal("1-0", data.JobId);
        Assert.Equal("w", data.WorkId);
        Assert.Equal("graded", data.Status);
        Assert.Equal(7.5, data.Grade);
        Assert.Equal(10, data.MaxGrade);
        Assert.Equal(DateTimeOffset.Parse("2026-12-01T10:00:02Z", System.Globalization.CultureInfo.InvariantCulture), data.FinishedAt);
    }

    [Fact]
    public void Parse_PendingEntry_ReadsTheWorkId() =>
        Assert.Equal("assignment-1", EntryData.Parse("""{"image":"i","callback":"c","work_id":"assignment-1"}""").WorkId);
}
