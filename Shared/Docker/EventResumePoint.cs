using System.Globalization;

namespace Correctomatic.Shared.Docker;

/// <summary>
/// Where an events subscription resumes after a dropped connection: the last timeNano seen. The engine replays its
/// buffered events with time ≥ since (moby daemon/events: loadBufferedEvents), so those at exactly that instant come
/// again; they are recognised (type, action, actor) and dropped, as is anything older.
/// </summary>
internal sealed class EventResumePoint(long? since)
{
    private readonly HashSet<(string, string, string)> _atLast = [];

    public long? LastTimeNano { get; private set; } = since;

    /// <summary>The since query value, seconds.nanoseconds as the docker CLI sends it, or null for "from now".</summary>
    public string? SinceParameter => LastTimeNano is { } ns ? string.Create(CultureInfo.InvariantCulture, $"{ns / 1_000_000_000}.{ns % 1_000_000_000:D9}") : null;

    /// <summary>Sets the start when the subscription had none, so a drop before the first event loses nothing.</summary>
    public void StartAt(long timeNano) => LastTimeNano ??= timeNano;

    /// <summary>True for an event not delivered before; advances the resume point.</summary>
    public bool Accept(DockerEvent e)
    {
        var key = (e.Type, e.Action, e.ActorId);
        if (e.TimeNano < LastTimeNano)
        {
            return false;
        }

        if (e.TimeNano == LastTimeNano)
        {
            return _atLast.Add(key);
        }

        LastTimeNano = e.TimeNano;
        _atLast.Clear();
        _atLast.Add(key);
        return true;
    }
}
