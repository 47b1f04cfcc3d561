namespace Correctomatic.Shared.Signing;

/// <summary>The outcome of checking a token against the bytes it should sign. <see cref="Error"/> says why it failed.</summary>
public sealed record SignatureCheck(bool IsValid, string? Error, IReadOnlyDictionary<string, object>? Claims)
{
    public static SignatureCheck Fail(string error) => new(false, error, null);
}
