namespace Correctomatic.Shared.Redis;

/// <summary>One stream entry as read by a consumer. <see cref="DeliveryCount"/> is known for reclaimed entries (1 for fresh reads).</summary>
public sealed record StreamEntry(string Id, IReadOnlyDictionary<string, string> Fields)
{
    public long DeliveryCount { get; init; } = 1;

    public string? Field(string name) => Fields.TryGetValue(name, out var value) ? value : null;
}
