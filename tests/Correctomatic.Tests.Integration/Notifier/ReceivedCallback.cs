namespace Correctomatic.Tests.Integration.Notifier;

/// <summary>One request as the test receiver got it: the exact body bytes and the headers that matter.</summary>
public sealed record ReceivedCallback(string Path, string? ContentType, string? IdempotencyKey, string? Signature, string? Attempt,
    byte[] Body, DateTimeOffset At, int StatusSent);
