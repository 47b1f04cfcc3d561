namespace Correctomatic.Notifier.Delivery;

/// <summary>What one delivery attempt came to (issue #7 retry classification).</summary>
public enum AttemptKind
{
    /// <summary>2xx: the receiver has it.</summary>
    Delivered,

    /// <summary>Network error, timeout, 5xx, 408, 429: try again later.</summary>
    Retry,

    /// <summary>Other 4xx, redirects, a refused address: trying again cannot help.</summary>
    Final,
}
