using System.Globalization;

namespace Correctomatic.Shared.Contracts;

/// <summary>A stream entry id <c>ms-seq</c> (https://redis.io/docs/latest/develop/data-types/streams/#entry-ids), ordered as Redis orders them.</summary>
public readonly record struct StreamId(ulong Milliseconds, ulong Sequence) : IComparable<StreamId>
{
    public static readonly StreamId Zero = new(0, 0);
    public static readonly StreamId Max = new(ulong.MaxValue, ulong.MaxValue);

    public static StreamId Parse(string text) =>
        TryParse(text, out var id) ? id : throw new FormatException($"'{text}' is not a stream id (ms-seq)");

    public static bool TryParse(string? text, out StreamId id)
    {
        id = default;
        if (text is null)
        {
            return false;
        }

        var dash = text.IndexOf('-', StringComparison.Ordinal);
        var msText = dash < 0 ? text : text[..dash];
        var seqText = dash < 0 ? "0" : text[(dash + 1)..];
        if (!ulong.TryParse(msText, NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            || !ulong.TryParse(seqText, NumberStyles.None, CultureInfo.InvariantCulture, out var seq))
        {
            return false;
        }

        id = new StreamId(ms, seq);
        return true;
    }

    public static StreamId FromTime(DateTimeOffset time) => new((ulong)Math.Max(0, time.ToUnixTimeMilliseconds()), 0);

    /// <summary>The smallest id greater than this one.</summary>
    public StreamId Next() => Sequence == ulong.MaxValue ? new StreamId(Milliseconds + 1, 0) : this with { Sequence = Sequence + 1 };

    public int CompareTo(StreamId other)
    {
        var byMs = Milliseconds.CompareTo(other.Milliseconds);
        return byMs != 0 ? byMs : Sequence.CompareTo(other.Sequence);
    }

    public static bool operator <(StreamId left, StreamId right) => left.CompareTo(right) < 0;
    public static bool operator >(StreamId left, StreamId right) => left.CompareTo(right) > 0;
    public static bool operator <=(StreamId left, StreamId right) => left.CompareTo(right) <= 0;
    public static bool operator >=(StreamId left, StreamId right) => left.CompareTo(right) >= 0;

    public static StreamId Min(StreamId a, StreamId b) => a < b ? a : b;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Milliseconds}-{Sequence}");
}
