namespace Correctomatic.Cli.Receiver;

/// <summary>A callback whose signature verified: its exact body, and the job id and idempotency key it came with.</summary>
public sealed record ReceivedCallback(string JobId, string? IdempotencyKey, string Body, bool Duplicate, DateTimeOffset ReceivedAt);
