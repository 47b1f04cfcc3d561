namespace Correctomatic.Completer.Rendezvous;

/// <summary>What to do after one side of the rendezvous arrived.</summary>
public enum RendezvousKind
{
    /// <summary>The other side has not arrived yet.</summary>
    Wait,

    /// <summary>Both sides are here and nobody completes this job yet: complete it now.</summary>
    Complete,

    /// <summary>Already known, being completed, or completed: nothing to do.</summary>
    Ignore,

    /// <summary>A second running entry for a container another entry already stands for: acknowledge it, never complete twice.</summary>
    Duplicate,
}

public readonly record struct RendezvousDecision(RendezvousKind Kind, Pairing? Pairing = null)
{
    public static RendezvousDecision Wait => new(RendezvousKind.Wait);
    public static RendezvousDecision Ignore => new(RendezvousKind.Ignore);
    public static RendezvousDecision Duplicate => new(RendezvousKind.Duplicate);
}
