using Correctomatic.Shared.Configuration;

namespace Correctomatic.Tests.Unit.Configuration;

public sealed class EnvFileParserTests
{
    [Fact]
    public void Parse_CommentsQuotesAndExport_AreHandled()
    {
        var values = EnvFileParser.Parse("""
            # a comment
            REDIS_URL=redis://localhost:6379
            export QUEUE_PREFIX=test:
            A="x y\n z"
            B='lit\n'
            C=value # trailing comment

            """);

        Assert.Equal("redis://localhost:6379", values["REDIS_URL"]);
        Assert.Equal("test:", values["QUEUE_PREFIX"]);
        Assert.Equal("x y\n z", values["A"]);
        Assert.Equal("lit\\n", values["B"]);
        Assert.Equal("value", values["C"]);
    }

    [Theory]
    [InlineData("NOEQUALS")]
    [InlineData("=value")]
    [InlineData("A=\"unterminated")]
    public void Parse_MalformedLine_SaysWhichLine(string line)
    {
        var ex = Assert.Throws<FormatException>(() => EnvFileParser.Parse("OK=1\n" + line));

        Assert.Contains("line 2", ex.Message, StringComparison.Ordinal);
    }
}
