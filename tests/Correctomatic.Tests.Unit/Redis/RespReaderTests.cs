using System.Text;
using Correctomatic.Shared.Redis.Protocol;

namespace Correctomatic.Tests.Unit.Redis;

/// <summary>Byte vectors, each fed whole, split at every offset and one byte per chunk (STYLE: RESPite's parser tests).</summary>
public sealed class RespReaderTests
{
    private const long Cap = 1024;

    public static TheoryData<string, RedisReply[]> Vectors => new()
    {
        { "+OK\r\n", [RedisReply.SimpleString("OK")] },
        { "+a\rb\r\n", [RedisReply.SimpleString("a\rb")] },
        { "-ERR unknown command 'FOO'\r\n", [RedisReply.Error("ERR unknown command 'FOO'")] },
        { ":0\r\n:-42\r\n:9223372036854775807\r\n", [RedisReply.Integer(0), RedisReply.Integer(-42), RedisReply.Integer(long.MaxValue)] },
        { "$5\r\nhello\r\n", [RedisReply.Bulk("hello")] },
        { "$0\r\n\r\n", [RedisReply.Bulk("")] },
        { "$4\r\na\r\nb\r\n", [RedisReply.Bulk("a\r\nb")] },
        { "$-1\r\n", [RedisReply.Null] },
        { "*-1\r\n", [RedisReply.Null] },
        { "*0\r\n", [RedisReply.Array([])] },
        { "$5\r\nvärd\r\n", [RedisReply.Bulk("värd")] },
        {
            "*2\r\n*2\r\n$15\r\n1700000000000-0\r\n*2\r\n$4\r\ndata\r\n$2\r\n{}\r\n$-1\r\n+OK\r\n",
            [
                RedisReply.Array([
                    RedisReply.Array([RedisReply.Bulk("1700000000000-0"), RedisReply.Array([RedisReply.Bulk("data"), RedisReply.Bulk("{}")])]),
                    RedisReply.Null,
                ]),
                RedisReply.SimpleString("OK"),
            ]
        },
        { "*3\r\n:1\r\n-NOGROUP no group\r\n*1\r\n*0\r\n", [RedisReply.Array([RedisReply.Integer(1), RedisReply.Error("NOGROUP no group"), RedisReply.Array([RedisReply.Array([])])])] },
    };

    public static TheoryData<string, string> Malformed => new()
    {
        { "!5\r\nhello\r\n", "unexpected type byte" },
        { "%1\r\n", "unexpected type byte" },
        { "$abc\r\n", "is not a number" },
        { "$\r\n", "is not a number" },
        { "$-2\r\n", "negative" },
        { "*-5\r\n", "negative" },
        { ":12x\r\n", "is not a number" },
        { "$3\r\nabcde\r\n", "not followed by CRLF" },
        { "+OK\n", "LF without CR" },
        { "$2000\r\n", "exceeds the cap" },
        { "$99999999999999999999\r\n", "is not a number" },
    };

    [Theory]
    [MemberData(nameof(Vectors))]
    public void TryRead_WholeBuffer_ReadsEveryReplyAndConsumesAllBytes(string wire, RedisReply[] expected) =>
        AssertReads(Chunks(Encoding.UTF8.GetBytes(wire), int.MaxValue), expected);

    [Theory]
    [MemberData(nameof(Vectors))]
    public void TryRead_SplitAtEveryOffset_ReadsTheSameReplies(string wire, RedisReply[] expected)
    {
        var bytes = Encoding.UTF8.GetBytes(wire);
        for (var split = 0; split <= bytes.Length; split++)
        {
            AssertReads([bytes[..split], bytes[split..]], expected);
        }
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void TryRead_OneBytePerChunk_ReadsTheSameReplies(string wire, RedisReply[] expected) =>
        AssertReads(Chunks(Encoding.UTF8.GetBytes(wire), 1), expected);

    [Theory]
    [MemberData(nameof(Malformed))]
    public void TryRead_MalformedInput_ThrowsProtocolExceptionSayingWhy(string wire, string expectedMessage)
    {
        var reader = new RespReader(Cap);
        reader.Append(Encoding.UTF8.GetBytes(wire));
        var ex = Assert.Throws<RedisProtocolException>(() => reader.TryRead(out _));
        Assert.Contains(expectedMessage, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryRead_LineWithoutCrlfBeyondLimit_ThrowsInsteadOfBuffering()
    {
        var reader = new RespReader(Cap);
        reader.Append("+"u8);
        reader.Append(new byte[RespFrameScanner.MaxLineLength + 1].Select(_ => (byte)'a').ToArray());
        Assert.Throws<RedisProtocolException>(() => reader.TryRead(out _));
    }

    [Fact]
    public void TryRead_ArraysNestedTooDeep_Throws()
    {
        var reader = new RespReader(Cap);
        reader.Append(Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("*1\r\n", RespFrameScanner.MaxDepth + 1)) + ":1\r\n"));
        Assert.Throws<RedisProtocolException>(() => reader.TryRead(out _));
    }

    [Fact]
    public void TryRead_BulkLargerThanInitialBuffer_GrowsAndReads()
    {
        var payload = new string('x', 100_000);
        var reader = new RespReader(1_000_000, initialBufferSize: 16);
        var wire = Encoding.ASCII.GetBytes($"${payload.Length}\r\n{payload}\r\n");
        foreach (var chunk in Chunks(wire, 777))
        {
            reader.Append(chunk);
        }

        Assert.True(reader.TryRead(out var reply));
        Assert.Equal(payload, reply.AsString());
        Assert.Equal(0, reader.BufferedBytes);
    }

    [Fact]
    public void TryRead_IncompleteReply_ReturnsFalseAndKeepsTheBytes()
    {
        var reader = new RespReader(Cap);
        reader.Append("*2\r\n:1\r\n"u8);
        Assert.False(reader.TryRead(out _));
        Assert.Equal(8, reader.BufferedBytes);
    }

    private static void AssertReads(IEnumerable<byte[]> chunks, RedisReply[] expected)
    {
        var reader = new RespReader(Cap, initialBufferSize: 8);
        var replies = new List<RedisReply>();
        foreach (var chunk in chunks)
        {
            reader.Append(chunk);
            while (reader.TryRead(out var reply))
            {
                replies.Add(reply);
            }
        }

        Assert.Equal(expected, replies);
        Assert.Equal(0, reader.BufferedBytes);
    }

    private static IEnumerable<byte[]> Chunks(byte[] bytes, int size)
    {
        for (var i = 0; i < bytes.Length; i += size)
        {
            yield return bytes[i..(int)Math.Min(bytes.Length, (long)i + size)];
        }
    }
}
