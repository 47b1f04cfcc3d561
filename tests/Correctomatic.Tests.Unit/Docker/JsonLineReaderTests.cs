using System.Text;
using Correctomatic.Shared.Docker;

namespace Correctomatic.Tests.Unit.Docker;

public sealed class JsonLineReaderTests
{
    private const string Input = "{\"a\":1}\n\r\n{\"b\":2}\r\n\n{\"c\":3}\n";

    /// <summary>A stream that hands out at most <c>chunk</c> bytes per read, as a socket may.</summary>
    private sealed class ChunkedStream(byte[] data, int chunk) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(chunk, buffer.Length)], cancellationToken);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(4096)]
    public async Task ReadLine_AnyChunking_YieldsEachDocumentAndSkipsBlankLines(int chunk)
    {
        var reader = new JsonLineReader(new ChunkedStream(Encoding.UTF8.GetBytes(Input), chunk));
        var lines = new List<string>();

        while (await reader.ReadLineAsync(CancellationToken.None) is { } line)
        {
            lines.Add(Encoding.UTF8.GetString(line.Span).TrimEnd('\r'));
        }

        Assert.Equal(["{\"a\":1}", "{\"b\":2}", "{\"c\":3}"], lines);
        Assert.False(reader.EndedMidLine);
    }

    [Fact]
    public async Task ReadLine_StreamCutInsideADocument_DropsTheHalfAndSaysSo()
    {
        var reader = new JsonLineReader(new MemoryStream("{\"a\":1}\n{\"Type\":\"contai"u8.ToArray()));

        var first = System.Text.Encoding.UTF8.GetString((await reader.ReadLineAsync(CancellationToken.None))!.Value.Span);
        var second = await reader.ReadLineAsync(CancellationToken.None);

        Assert.Equal("{\"a\":1}", first);
        Assert.Null(second);
        Assert.True(reader.EndedMidLine);
    }

    [Fact]
    public async Task ReadLine_LongerThanTheLimit_Throws()
    {
        var reader = new JsonLineReader(new MemoryStream(new byte[100]), maxLine: 16);

        await Assert.ThrowsAsync<InvalidDataException>(async () => await reader.ReadLineAsync(CancellationToken.None));
    }

    [Fact]
    public async Task ReadLine_LineLongerThanTheInitialBuffer_ReadWhole()
    {
        var big = "{\"x\":\"" + new string('y', 20_000) + "\"}";
        var reader = new JsonLineReader(new ChunkedStream(Encoding.UTF8.GetBytes(big + "\n"), 1000));

        var line = await reader.ReadLineAsync(CancellationToken.None);

        Assert.Equal(big, Encoding.UTF8.GetString(line!.Value.Span));
        Assert.Null(await reader.ReadLineAsync(CancellationToken.None));
    }
}
