namespace Correctomatic.Shared.Configuration;

/// <summary>
/// Marks a settings property whose value must never be printed (issue #16): <see cref="SettingsPrinter"/> shows it as
/// <c>***</c>, or, for a URL, with only the password part hidden.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class SecretAttribute : Attribute
{
    /// <summary>The value is a URL: show it with the credentials between "//" and "@" replaced by ***.</summary>
    public bool InUrl { get; init; }
}
