using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Correctomatic.Shared.Signing;

/// <summary>
/// JWTs that bind to exact bytes: the claim <c>sha256</c> holds the lowercase hex SHA-256 of the body.
/// Used for job tokens (issue #5: the pending entry's <c>data</c> bytes, with an expiry) and for callback signatures
/// (issue #7: the callback body, with the job id and issue time).
/// </summary>
public static class BodySigner
{
    public const string Sha256Claim = "sha256";

    public static string Sha256Hex(ReadOnlySpan<byte> body) => Convert.ToHexStringLower(SHA256.HashData(body));

    public static string Sign(SigningKey key, ReadOnlySpan<byte> body, DateTimeOffset now, TimeSpan? lifetime = null,
        IReadOnlyDictionary<string, object>? claims = null)
    {
        if (!key.CanSign)
        {
            throw new InvalidOperationException("this key can only verify (a public key)");
        }

        var all = new Dictionary<string, object>(StringComparer.Ordinal) { [Sha256Claim] = Sha256Hex(body) };
        if (claims is not null)
        {
            foreach (var (name, value) in claims)
            {
                all[name] = value;
            }
        }

        var descriptor = new SecurityTokenDescriptor
        {
            Claims = all,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = lifetime is { } l ? now.UtcDateTime + l : null,
            SigningCredentials = new SigningCredentials(key.Key, key.Algorithm),
        };
        var handler = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false };
        return handler.CreateToken(descriptor);
    }

    /// <summary>Checks signature, algorithm, expiry (against <paramref name="now"/>) and the body hash.</summary>
    public static async Task<SignatureCheck> VerifyAsync(SigningKey key, string? token, ReadOnlyMemory<byte> body, DateTimeOffset now,
        bool requireExpiry, TimeSpan? clockSkew = null)
    {
        if (string.IsNullOrWhiteSpace(token))
        {
            return SignatureCheck.Fail("no token");
        }

        var parameters = new TokenValidationParameters
        {
            IssuerSigningKey = key.Key,
            ValidAlgorithms = [key.Algorithm],
            ValidateIssuer = false,
            ValidateAudience = false,
            ValidateLifetime = false, // checked below against the injected clock
            RequireExpirationTime = false,
            RequireSignedTokens = true,
        };
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, parameters).ConfigureAwait(false);
        if (!result.IsValid)
        {
            return SignatureCheck.Fail($"invalid token: {result.Exception?.Message.Split('.')[0] ?? "signature does not verify"}");
        }

        var jwt = (JsonWebToken)result.SecurityToken;
        var skew = clockSkew ?? TimeSpan.FromSeconds(30);
        if (jwt.TryGetPayloadValue<long>("exp", out var exp))
        {
            if (DateTimeOffset.FromUnixTimeSeconds(exp) + skew < now)
            {
                return SignatureCheck.Fail("token expired");
            }
        }
        else if (requireExpiry)
        {
            return SignatureCheck.Fail("token has no expiry (exp)");
        }

        if (jwt.TryGetPayloadValue<long>("nbf", out var nbf) && DateTimeOffset.FromUnixTimeSeconds(nbf) - skew > now)
        {
            return SignatureCheck.Fail("token not valid yet (nbf)");
        }

        if (!jwt.TryGetPayloadValue<string>(Sha256Claim, out var hash) || string.IsNullOrEmpty(hash))
        {
            return SignatureCheck.Fail($"token has no {Sha256Claim} claim");
        }

        if (!CryptographicOperations.FixedTimeEquals(System.Text.Encoding.ASCII.GetBytes(hash.ToLowerInvariant()),
                System.Text.Encoding.ASCII.GetBytes(Sha256Hex(body.Span))))
        {
            return SignatureCheck.Fail("token does not match the signed bytes (sha256 differs)");
        }

        return new SignatureCheck(true, null, result.Claims.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal));
    }
}
