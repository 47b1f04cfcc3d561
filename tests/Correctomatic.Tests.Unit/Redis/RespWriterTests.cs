using System.Buffers;
using System.Text;
using Correctomatic.Shared.Redis.Protocol;

namespace Correctomatic.Tests.Unit.Redis;

public sealed class RespWriterTests
{
    [Theory]
    [InlineData(new[] { "PING" }, "*1\r\n$4\r\nPING\r\n")]
    [InlineData(new[] { "SET", "k", "" }, "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$0\r\n\r\n")]
    [InlineData(new[] { "XADD", "s", "*", "data", "{\"a\":\"é\"}" }, "*5\r\n$4\r\nXADD\r\n$1\r\ns\r\n$1\r\n*\r\n$4\r\ndata\r\n$10\r\n{\"a\":\"é\"}\r\n")]
    [InlineData(new[] { "ECHO", "a\r\nb" }, "*2\r\n$4\r\nECHO\r\n$4\r\na\r\nb\r\n")]
    public void WriteCommand_Arguments_WritesExactBytes(string[] arguments, string expected)
    {
        var output = new ArrayBufferWriter<byte>(1);
        RespWriter.WriteCommand(output, arguments);
        Assert.Equal(Encoding.UTF8.GetBytes(expected), output.WrittenSpan.ToArray());
    }

    [Fact]
    public void WriteCommand_TwelveArguments_WritesTwoDigitCount()
    {
        var output = new ArrayBufferWriter<byte>();
        RespWriter.WriteCommand(output, Enumerable.Repeat("a", 12).ToArray());
        Assert.StartsWith("*12\r\n$1\r\na\r\n", Encoding.ASCII.GetString(output.WrittenSpan), StringComparison.Ordinal);
    }

    [Fact]
    public void WriteCommand_NoArguments_Throws() =>
        Assert.Throws<ArgumentException>(() => RespWriter.WriteCommand(new ArrayBufferWriter<byte>(), []));

    [Fact]
    public void WriteCommand_OutputReadBack_ParsesAsArrayOfBulkStrings()
    {
        var output = new ArrayBufferWriter<byte>();
        RespWriter.WriteCommand(output, ["HSET", "h", "f", "v"]);
        var reader = new RespReader(1024);
        reader.Append(output.WrittenSpan);
        Assert.True(reader.TryRead(out var reply));
        Assert.Equal(["HSET", "h", "f", "v"], reply.AsArray().Select(r => r.AsString()));
    }
}
