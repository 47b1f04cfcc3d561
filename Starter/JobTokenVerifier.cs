using Correctomatic.Shared.Signing;

namespace Correctomatic.Starter;

/// <summary>
/// Checks a pending entry's <c>token</c> when REQUIRE_JOB_TOKEN is on (issue #5): a JWT (ES256 or HS256, key from
/// configuration) whose <c>sha256</c> claim is the hash of the exact <c>data</c> bytes, with an expiry.
/// A rerun after an infrastructure fault (issue #15) carries its first attempt's token: its expiry is checked at the time
/// that attempt was queued (its job id, Redis's clock), so an engine restart never becomes "token expired", but only
/// within <paramref name="rerunGrace"/> of it, so an old token cannot be replayed under an old id as a fake rerun.
/// </summary>
public sealed class JobTokenVerifier(SigningKey? key, bool required, TimeProvider timeProvider, TimeSpan rerunGrace = default) : IDisposable
{
    public bool Required => required;

    public static JobTokenVerifier FromSettings(StarterSettings settings, TimeProvider timeProvider)
    {
        SigningKey? key = null;
        if (settings.JobTokenKeyFile is { } file)
        {
            key = SigningKey.FromPemFile(file);
        }
        else if (settings.JobTokenSecret is { } secret)
        {
            key = SigningKey.FromSecret(secret);
        }

        return new JobTokenVerifier(key, settings.RequireJobToken, timeProvider, settings.JobTokenRerunGrace);
    }

    /// <summary>Null when the token is good or not required; otherwise why the job is refused.</summary>
    /// <param name="rerunOf">For a rerun, when its first attempt was queued; null for a first attempt.</param>
    public async Task<string?> CheckAsync(string? token, byte[] data, DateTimeOffset? rerunOf = null)
    {
        if (!required)
        {
            return null;
        }

        if (key is null)
        {
            return "job tokens are required but this starter has no key configured";
        }

        var now = timeProvider.GetUtcNow();
        var at = rerunOf is { } first && now - first <= rerunGrace ? first : now;
        var check = await BodySigner.VerifyAsync(key, token, data, at, requireExpiry: true);
        return check.IsValid ? null : $"job token refused: {check.Error}";
    }

    public void Dispose() => key?.Dispose();
}
