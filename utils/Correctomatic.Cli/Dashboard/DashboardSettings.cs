using System.Net;
using Correctomatic.Shared.Configuration;

namespace Correctomatic.Cli.Dashboard;

/// <summary>
/// The dashboard's settings (issue #17): a token with no default, loopback unless allowed otherwise, a read-only mode,
/// and an optional audit stream. Read once at start; a bad one stops the command with the setting's name.
/// </summary>
public sealed record DashboardSettings
{
    /// <summary>DASHBOARD_TOKEN: the bearer token (or password on the login form). Required: there is no default.</summary>
    [Secret]
    public required string Token { get; init; }

    /// <summary>Where to listen, e.g. http://127.0.0.1:8080.</summary>
    public required string Listen { get; init; }

    /// <summary>DASHBOARD_READ_ONLY: replay and purge are refused.</summary>
    public bool ReadOnly { get; init; }

    /// <summary>DASHBOARD_AUDIT_STREAM: also XADD each audit line to <c>{prefix}audit</c> (the console line is always written).</summary>
    public bool AuditStream { get; init; }

    public static DashboardSettings Read(SettingsReader reader, string listen, bool allowRemoteFlag, bool readOnlyFlag)
    {
        var token = reader.Raw("DASHBOARD_TOKEN");
        if (token is null)
        {
            reader.AddError("DASHBOARD_TOKEN is required: the dashboard has no default token (set it, or DASHBOARD_TOKEN_FILE)");
        }
        else if (token.Length < 16)
        {
            reader.AddError("DASHBOARD_TOKEN must be at least 16 characters");
        }

        var allowRemote = allowRemoteFlag || reader.Bool("DASHBOARD_ALLOW_REMOTE", false);
        if (!Uri.TryCreate(listen, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            reader.AddError($"--listen '{listen}' is not an http(s) URL such as http://127.0.0.1:8080");
        }
        else if (!allowRemote && !IsLoopback(uri.Host))
        {
            reader.AddError($"--listen '{listen}' is not a loopback address: pass --allow-remote (or DASHBOARD_ALLOW_REMOTE=true) to serve other hosts");
        }

        return new DashboardSettings
        {
            Token = token ?? "",
            Listen = listen,
            ReadOnly = readOnlyFlag || reader.Bool("DASHBOARD_READ_ONLY", false),
            AuditStream = reader.Bool("DASHBOARD_AUDIT_STREAM", false),
        };
    }

    private static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
