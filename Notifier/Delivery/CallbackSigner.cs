using Correctomatic.Shared.Contracts;
using Correctomatic.Shared.Signing;

namespace Correctomatic.Notifier.Delivery;

/// <summary>
/// Signs a callback body (issue #7): a JWT over the exact bytes with claims <c>sha256</c>, <c>job_id</c> and <c>iat</c>,
/// using the shared <see cref="BodySigner"/>. The key is loaded once at start; the service does not start without one.
/// </summary>
public sealed class CallbackSigner(SigningKey key, TimeProvider timeProvider)
{
    public string Algorithm => key.Algorithm;

    public string Sign(CallbackRequest request) =>
        BodySigner.Sign(key, request.Body.Span, timeProvider.GetUtcNow(),
            claims: new Dictionary<string, object>(1) { [CallbackHeaders.JobIdClaim] = request.JobId });

    /// <summary>Loads the key named by the settings; throws with the setting's name when it cannot.</summary>
    public static SigningKey LoadKey(NotifierSettings settings)
    {
        if (settings.SigningSecret is { } secret)
        {
            return SigningKey.FromSecret(secret);
        }

        var path = settings.SigningKeyFile ?? throw new InvalidOperationException("no signing key configured");
        SigningKey key;
        try
        {
            key = SigningKey.FromPemFile(path, settings.SigningKeyPassword);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            throw new InvalidOperationException($"CALLBACK_SIGNING_KEY_FILE='{path}' cannot be loaded: {ex.Message}", ex);
        }

        if (!key.CanSign)
        {
            key.Dispose();
            throw new InvalidOperationException($"CALLBACK_SIGNING_KEY_FILE='{path}' is a public key; the notifier needs the private key");
        }

        return key;
    }
}
