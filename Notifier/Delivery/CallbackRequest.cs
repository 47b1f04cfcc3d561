namespace Correctomatic.Notifier.Delivery;

/// <summary>One callback to deliver: where, the exact body bytes (canonical, schema-valid), and the ids for logs and headers.</summary>
public sealed record CallbackRequest(string JobId, string? WorkId, Uri Callback, ReadOnlyMemory<byte> Body);
