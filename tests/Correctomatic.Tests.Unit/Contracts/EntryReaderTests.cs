using Correctomatic.Shared.Contracts;
using Correctomatic.Shared.Schemas;

namespace Correctomatic.Tests.Unit.Contracts;

public sealed class EntryReaderTests
{
    private const string Running =
        """{"job_id":"1700000000000-0","work_id":"w1","container_id":"c1","docker_host":"h1","image":"correctomatic/x","callback":"http://a/b","queued_at":"2026-01-01T00:00:00Z","started_at":"2026-01-01T00:00:01Z","deadline":"2026-01-01T00:01:01Z"}""";

    private static EntryRead<RunningJob> Read(string? data) =>
        EntryReader.Default.Read<RunningJob>(data, SchemaName.Running, "the running entry");

    /// <summary>A valid running entry whose extra field <c>x</c> nests arrays so that the document is <paramref name="depth"/> deep.</summary>
    private static string Nested(int depth) =>
        Running[..^1] + ",\"x\":" + new string('[', depth - 1) + new string(']', depth - 1) + "}";

    [Fact]
    public void Read_ValidEntry_TheRecord()
    {
        var read = Read(Running);

        Assert.True(read.IsRead);
        Assert.Null(read.Reason);
        Assert.Equal(("1700000000000-0", "w1", "c1", "h1"), (read.Record.JobId, read.Record.WorkId, read.Record.ContainerId, read.Record.DockerHost));
    }

    [Fact]
    public void Read_Fields_ReadsTheDataField()
    {
        var read = EntryReader.Default.Read<RunningJob>(new Dictionary<string, string> { [StreamFields.Data] = Running }, SchemaName.Running);

        Assert.Equal("c1", read.Record?.ContainerId);
    }

    [Fact]
    public void Read_FieldsWithoutData_NoDataReason()
    {
        var read = EntryReader.Default.Read<RunningJob>(new Dictionary<string, string> { [StreamFields.Token] = "t" }, SchemaName.Running);

        Assert.False(read.IsRead);
        Assert.Equal("the entry has no 'data' field", read.Reason);
    }

    [Fact]
    public void Read_NullData_NoDataReason() =>
        Assert.Equal(EntryReader.NoData, Read(null).Reason);

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"job_id\":")]
    [InlineData("")]
    public void Read_NotJson_NotJsonReason(string data) =>
        Assert.StartsWith("the running entry is not JSON: ", Read(data).Reason, StringComparison.Ordinal);

    [Theory]
    [InlineData("[1,2]")]
    [InlineData("\"text\"")]
    [InlineData("null")]
    public void Read_NotAnObject_NotAnObjectReason(string data) =>
        Assert.Equal("the running entry is not a JSON object", Read(data).Reason);

    [Fact]
    public void Read_SchemaViolation_NamesTheSchemaAndWhere()
    {
        var read = Read(Running.Replace("\"docker_host\":\"h1\",", "", StringComparison.Ordinal));

        Assert.False(read.IsRead);
        Assert.StartsWith("the running entry does not match schemas/running.json: ", read.Reason, StringComparison.Ordinal);
        Assert.Contains("docker_host", read.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ManySchemaViolations_ListsTheFirstFive()
    {
        var read = Read("""{"memory_mb":"x"}""");

        Assert.Equal(5, read.Reason!.Split("; ").Length);
    }

    [Fact]
    public void Read_MatchesTheSchemaButNotTheRecord_CannotBeReadReason()
    {
        // To the schema work_id is any string; a lone UTF-16 surrogate passes it, but is not text.
        var read = Read(Running.Replace("\"w1\"", "\"\\ud800\"", StringComparison.Ordinal));

        Assert.False(read.IsRead);
        Assert.StartsWith("the running entry cannot be read: ", read.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_SixtyFourLevelsDeep_TheRecord() =>
        Assert.True(Read(Nested(64)).IsRead);

    [Theory]
    [InlineData(65)]
    [InlineData(3000)]
    public void Read_DeeperThanSixtyFourLevels_NotJsonReasonNamingTheDepth(int depth)
    {
        var read = Read(Nested(depth));

        Assert.StartsWith("the running entry is not JSON: ", read.Reason, StringComparison.Ordinal);
        Assert.Contains("depth", read.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_DefaultSubject_ReasonsStartWithData() =>
        Assert.Equal("data is not a JSON object", EntryReader.Default.Read<RunningJob>("[]", SchemaName.Running).Reason);
}
