namespace Correctomatic.Tests.Integration.Redis;

/// <summary>The system clock moved forward by <see cref="Offset"/>: entries written now look old to the retention policy.</summary>
public sealed class ShiftedClock : TimeProvider
{
    public TimeSpan Offset { get; set; }

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;
}
