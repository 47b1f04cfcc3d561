using System.Security.Cryptography;

namespace Correctomatic.Shared.Redis;

/// <summary>One stage's view of its input stream (issue #3); read from the environment by <see cref="Configuration.RedisSettings.ReadQueue"/>.</summary>
public sealed record StreamQueueOptions
{
    public required string Stream { get; init; }

    public required string Group { get; init; }

    /// <summary><c>{host}-{pid}-{random}</c> by default, so a restarted process never inherits a dead one's pending entries by name.</summary>
    public string Consumer { get; init; } = UniqueConsumerName();

    /// <summary>Where poison entries go (the contract's <c>{prefix}dead</c>).</summary>
    public required string DeadStream { get; init; }

    /// <summary>Deliveries after which a reclaimed entry is dead-lettered instead of retried.</summary>
    public int MaxDeliveries { get; init; } = 5;

    /// <summary>
    /// An entry larger than this (names and values) is dead-lettered by the read or reclaim script itself, never sent to
    /// the client (issue #15). 64 MB holds a MAX_FILE_BYTES (10 MB) submission in base64 twice over (a running entry
    /// carries the pending data too).
    /// </summary>
    public long MaxEntryBytes { get; init; } = DefaultMaxEntryBytes;

    internal const long DefaultMaxEntryBytes = 64L * 1024 * 1024;

    public StreamRetention Retention { get; init; } = new();

    public static string UniqueConsumerName() =>
        $"{Environment.MachineName}-{Environment.ProcessId}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}";
}
