using System.Diagnostics.CodeAnalysis;

namespace Correctomatic.Shared.Contracts;

/// <summary>
/// What a job's callback must be: an absolute http or https URL with a host. The starter dead-letters a job without one
/// (nobody could be told it was refused, issue #5); the notifier posts to nothing else (issue #7). Each says why in its
/// own words, which its users already read.
/// </summary>
public static class CallbackUrl
{
    /// <summary>The callback as a URI when it is usable.</summary>
    public static bool TryParse(string? callback, [NotNullWhen(true)] out Uri? uri)
    {
        if (Uri.TryCreate(callback, UriKind.Absolute, out uri)
            && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            && !string.IsNullOrEmpty(uri.Host))
        {
            return true;
        }

        uri = null;
        return false;
    }
}
