using Correctomatic.Shared.Contracts;

namespace Correctomatic.Cli.Operations;

/// <summary>What <c>submit</c> was asked to push: the job, and the key to sign it with when job tokens are required.</summary>
public sealed record JobRequest(PendingJob Job, Shared.Signing.SigningKey? SigningKey, TimeSpan TokenLifetime);
