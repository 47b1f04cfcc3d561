namespace Correctomatic.Shared.Contracts;

/// <summary>
/// The headers of every callback POST (issue #7); the notifier sends them, receivers (and the CLI's test receiver) read them.
/// </summary>
public static class CallbackHeaders
{
    /// <summary>The job id, identical on every attempt, so a receiver can drop repeats (at-least-once delivery).</summary>
    public const string IdempotencyKey = "Idempotency-Key";

    /// <summary>
    /// A compact JWT (ES256 or HS256) whose claims are <c>sha256</c> (lowercase hex SHA-256 of the exact body bytes),
    /// <c>job_id</c> and <c>iat</c>. Verify the signature with the public key, then compare the hash with the bytes received.
    /// </summary>
    public const string Signature = "X-Correctomatic-Signature";

    /// <summary>The attempt number (1, 2, ...); informational only, not signed.</summary>
    public const string Attempt = "X-Correctomatic-Attempt";

    /// <summary>The JWT claim that carries the job id.</summary>
    public const string JobIdClaim = "job_id";
}
