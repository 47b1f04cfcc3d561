using Correctomatic.Completer.Outcome;

namespace Correctomatic.Tests.Unit.Completer;

public sealed class ResponseExtractorTests
{
    private const string Json = """{"success":true,"grade":7}""";

    [Theory]
    [InlineData(Json)]
    [InlineData("\n  " + Json + "\n\n")]
    [InlineData("\uFEFF" + Json)]
    [InlineData("{\n  \"success\": true,\n  \"grade\": 7\n}\n")]
    public void Extract_WholeStdoutIsJson_ReturnsIt(string stdout)
    {
        var response = ResponseExtractor.Extract(stdout);

        Assert.True(response.IsFound, response.Problem);
        Assert.Equal(stdout.Trim('\uFEFF').Trim(), response.Json);
    }

    [Theory]
    [InlineData("-----BEGIN CORRECTOMATIC RESPONSE-----\n" + Json + "\n-----END CORRECTOMATIC RESPONSE-----\n")]
    [InlineData("compiling...\nwarning: x\n---BEGIN CORRECTOMATIC RESPONSE---\n" + Json + "\n---END CORRECTOMATIC RESPONSE---\nbye\n")]
    [InlineData("noise\r\n-BEGIN CORRECTOMATIC RESPONSE-\r\n" + Json + "\r\n-END CORRECTOMATIC RESPONSE-\r\ntrailing {\r\n")]
    [InlineData("{not json\n----------BEGIN CORRECTOMATIC RESPONSE---\n" + Json + "\n--END CORRECTOMATIC RESPONSE----------")]
    public void Extract_OneBlockAmidNoise_ReturnsTheBlock(string stdout)
    {
        var response = ResponseExtractor.Extract(stdout);

        Assert.True(response.IsFound, response.Problem);
        Assert.Equal(Json, response.Json);
    }

    [Fact]
    public void Extract_MultiLineBlock_KeepsItsLines()
    {
        var response = ResponseExtractor.Extract("x\n---BEGIN CORRECTOMATIC RESPONSE---\n{\n\"success\": false,\n\"error\": \"e\"\n}\n---END CORRECTOMATIC RESPONSE---\n");

        Assert.Equal("{\n\"success\": false,\n\"error\": \"e\"\n}", response.Json);
    }

    [Theory]
    [InlineData("", "printed nothing")]
    [InlineData("  \n", "printed nothing")]
    [InlineData("All tests passed!\n", "no BEGIN/END")]
    [InlineData("{\"success\": true,", "no BEGIN/END")]
    [InlineData("x\n---BEGIN CORRECTOMATIC RESPONSE---\n{\"success\":true,", "no END")]
    [InlineData("---END CORRECTOMATIC RESPONSE---\n", "without a BEGIN")]
    [InlineData("---BEGIN CORRECTOMATIC RESPONSE---\n---END CORRECTOMATIC RESPONSE---\n", "empty")]
    [InlineData("---BEGIN CORRECTOMATIC RESPONSE---\n{}\n---BEGIN CORRECTOMATIC RESPONSE---\n{}\n---END CORRECTOMATIC RESPONSE---", "not closed")]
    public void Extract_NoUsableResponse_SaysWhy(string stdout, string expected)
    {
        var response = ResponseExtractor.Extract(stdout);

        Assert.False(response.IsFound);
        Assert.Contains(expected, response.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Extract_TwoBlocks_RefusesBoth()
    {
        // A submission could print a forged block before the grader's own (Correctomatic refuses this too).
        var stdout = $"---BEGIN CORRECTOMATIC RESPONSE---\n{Json}\n---END CORRECTOMATIC RESPONSE---\n" +
                     "-----BEGIN CORRECTOMATIC RESPONSE-----\n{\"success\":true,\"grade\":10}\n-----END CORRECTOMATIC RESPONSE-----\n";

        var response = ResponseExtractor.Extract(stdout);

        Assert.False(response.IsFound);
        Assert.Contains("2 CORRECTOMATIC RESPONSE blocks", response.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Extract_MarkerInsideALine_IsNotAMarker()
    {
        var response = ResponseExtractor.Extract("echo ---BEGIN CORRECTOMATIC RESPONSE--- later\n");

        Assert.False(response.IsFound);
        Assert.Contains("no BEGIN/END", response.Problem, StringComparison.Ordinal);
    }
}
