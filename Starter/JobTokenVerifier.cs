using Correctomatic.Shared.Signing;

namespace Correctomatic.Starter;

/// <summary>
/// Checks a pending entry's <c>token</c> when REQUIRE_JOB_TOKEN is on (issue #5): a JWT (ES256 or HS256, key from
/// configuration) whose <c>sha256</c> claim is the hash of the exact <c>data</c> bytes, with an expiry.
/// </summary>
public sealed class JobTokenVerifier(SigningKey? key, bool required, TimeProvider timeProvider) : IDisposable
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

        return new JobTokenVerifier(key, settings.RequireJobToken, timeProvider);
    }

    /// <summary>Null when the token is good or not required; otherwise why the job is refused.</summary>
    public async Task<string?> CheckAsync(string? token, byte[] data)
    {
        if (!required)
        {
            return null;
        }

        if (key is null)
        {
            return "job tokens are required but this starter has no key configured";
        }

        var check = await BodySigner.VerifyAsync(key, token, data, timeProvider.GetUtcNow(), requireExpiry: true);
        return check.IsValid ? null : $"job token refused: {check.Error}";
    }

    public void Dispose() => key?.Dispose();
}
