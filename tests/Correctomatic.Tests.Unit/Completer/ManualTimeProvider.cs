namespace Correctomatic.Tests.Unit.Completer;

/// <summary>A clock the test moves by hand (STYLE habit 4: tests advance a manual clock instead of sleeping).</summary>
internal sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
