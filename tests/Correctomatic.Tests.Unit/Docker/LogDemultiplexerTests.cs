using System.Text;
using Correctomatic.Shared.Docker;

namespace Correctomatic.Tests.Unit.Docker;

/// <summary>Byte vectors for the multiplexed log format, whole, split at every offset and one byte per chunk (STYLE habit 9).</summary>
public sealed class LogDemultiplexerTests
{
    private static byte[] Frame(byte stream, string payload)
    {
        var data = Encoding.UTF8.GetBytes(payload);
        var frame = new byte[8 + data.Length];
        frame[0] = stream;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(4), (uint)data.Length);
        data.CopyTo(frame, 8);
        return frame;
    }

    private static readonly byte[] Interleaved = [.. Frame(1, "out1\n"), .. Frame(2, "err1\n"), .. Frame(1, "out2\n"), .. Frame(2, ""), .. Frame(2, "err2\n")];

    public static TheoryData<int> SplitOffsets()
    {
        var data = new TheoryData<int>();
        for (var i = 0; i <= Interleaved.Length; i++)
        {
            data.Add(i);
        }

        return data;
    }

    [Fact]
    public void Feed_WholeVector_SplitsStreamsInOrder()
    {
        var demux = new LogDemultiplexer(1024);

        var more = demux.Feed(Interleaved);

        Assert.True(more);
        Assert.Equal("out1\nout2\n", Encoding.UTF8.GetString(demux.Stdout));
        Assert.Equal("err1\nerr2\n", Encoding.UTF8.GetString(demux.Stderr));
        Assert.False(demux.MidFrame || demux.Stopped || demux.StdoutTruncated || demux.StderrTruncated);
    }

    [Theory]
    [MemberData(nameof(SplitOffsets))]
    public void Feed_SplitAtEveryOffset_SameResult(int offset)
    {
        var demux = new LogDemultiplexer(1024);

        demux.Feed(Interleaved.AsSpan(0, offset));
        demux.Feed(Interleaved.AsSpan(offset));

        Assert.Equal("out1\nout2\n", Encoding.UTF8.GetString(demux.Stdout));
        Assert.Equal("err1\nerr2\n", Encoding.UTF8.GetString(demux.Stderr));
        Assert.False(demux.MidFrame);
    }

    [Fact]
    public void Feed_OneBytePerChunk_SameResultAndMidFrameBetween()
    {
        var demux = new LogDemultiplexer(1024);
        var midFrameSeen = false;

        foreach (var b in Interleaved)
        {
            demux.Feed([b]);
            midFrameSeen |= demux.MidFrame;
        }

        Assert.True(midFrameSeen);
        Assert.False(demux.MidFrame);
        Assert.Equal("out1\nout2\n", Encoding.UTF8.GetString(demux.Stdout));
        Assert.Equal("err1\nerr2\n", Encoding.UTF8.GetString(demux.Stderr));
    }

    [Fact]
    public void Feed_PastTheCapInsideAFrame_KeepsTheCapAndStops()
    {
        var demux = new LogDemultiplexer(3);

        var more = demux.Feed([.. Frame(1, "abcdef"), .. Frame(2, "late")]);

        Assert.False(more);
        Assert.True(demux.Stopped);
        Assert.True(demux.StdoutTruncated);
        Assert.False(demux.StderrTruncated);
        Assert.Equal("abc", Encoding.UTF8.GetString(demux.Stdout));
        Assert.Empty(demux.Stderr);
    }

    [Fact]
    public void Feed_ExactlyTheCap_NotTruncatedUntilAnotherByteArrives()
    {
        var demux = new LogDemultiplexer(4);

        demux.Feed(Frame(2, "abcd"));
        var truncatedAtCap = demux.StderrTruncated;
        demux.Feed(Frame(2, "e"));

        Assert.False(truncatedAtCap);
        Assert.True(demux.StderrTruncated);
        Assert.Equal("abcd", Encoding.UTF8.GetString(demux.Stderr));
    }

    [Fact]
    public void Feed_ZeroCap_AnyOutputTruncates()
    {
        var demux = new LogDemultiplexer(0);

        demux.Feed(Frame(1, "x"));

        Assert.True(demux.StdoutTruncated);
        Assert.Empty(demux.Stdout);
    }

    [Fact]
    public void Feed_StdinFrame_GoesWithStdout()
    {
        var demux = new LogDemultiplexer(16);

        demux.Feed([.. Frame(0, "in"), .. Frame(1, "out")]);

        Assert.Equal("inout", Encoding.UTF8.GetString(demux.Stdout));
    }

    [Fact]
    public void Feed_UnknownStreamType_ThrowsSayingItIsNotMultiplexed()
    {
        var demux = new LogDemultiplexer(16);

        var ex = Assert.Throws<InvalidDataException>(() => demux.Feed("hello wo"u8));

        Assert.Contains("TTY", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Feed_EndsInsideAHeader_ReportsMidFrame()
    {
        var demux = new LogDemultiplexer(16);

        demux.Feed(Frame(1, "abc").AsSpan(0, 5));

        Assert.True(demux.MidFrame);
    }
}
