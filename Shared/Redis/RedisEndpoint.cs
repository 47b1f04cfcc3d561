using System.Globalization;

namespace Correctomatic.Shared.Redis;

/// <summary>How the client reaches the server.</summary>
public enum RedisTransport
{
    Tcp,
    Tls,
    Unix,
}

/// <summary>
/// Where Redis is and how to log in, parsed from REDIS_URL (issue #2): <c>redis://[user:password@]host:port[/db]</c>,
/// <c>rediss://</c> for TLS, <c>unix:///path/to/redis.sock</c> (optionally <c>?db=N</c>). <see cref="ToString"/> never
/// shows the password.
/// </summary>
public sealed class RedisEndpoint
{
    public const int DefaultPort = 6379;

    private RedisEndpoint(RedisTransport transport, string host, int port, string? socketPath, int database, string? user, string? password)
    {
        Transport = transport;
        Host = host;
        Port = port;
        SocketPath = socketPath;
        Database = database;
        User = user;
        Password = password;
    }

    public RedisTransport Transport { get; }
    public string Host { get; }
    public int Port { get; }
    public string? SocketPath { get; }
    public int Database { get; }
    public string? User { get; }
    public string? Password { get; }

    /// <exception cref="FormatException">The URL is not a valid Redis URL; the message says why (without the password).</exception>
    public static RedisEndpoint Parse(string url) =>
        TryParse(url, out var endpoint, out var error) ? endpoint : throw new FormatException(error);

    public static bool TryParse(string? url, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out RedisEndpoint? endpoint, out string error)
    {
        endpoint = null;
        error = "";
        if (string.IsNullOrWhiteSpace(url))
        {
            error = "REDIS_URL is empty; expected redis://[user:password@]host:port[/db], rediss://... or unix:///path";
            return false;
        }

        var shown = Redact(url.Trim());
        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri))
        {
            error = $"REDIS_URL '{shown}' is not a URL; expected redis://[user:password@]host:port[/db], rediss://... or unix:///path";
            return false;
        }

        var transport = uri.Scheme switch
        {
            "redis" => RedisTransport.Tcp,
            "rediss" => RedisTransport.Tls,
            "unix" => RedisTransport.Unix,
            _ => (RedisTransport?)null,
        };
        if (transport is null)
        {
            error = $"REDIS_URL '{shown}' has scheme '{uri.Scheme}'; expected redis, rediss or unix";
            return false;
        }

        string? user = null, password = null;
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                error = $"REDIS_URL '{shown}' names a user but no password; write redis://user:password@host or redis://:password@host";
                return false;
            }

            user = Uri.UnescapeDataString(uri.UserInfo[..colon]);
            password = Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
            user = user.Length == 0 ? null : user;
            if (password.Length == 0)
            {
                error = $"REDIS_URL '{shown}' has an empty password";
                return false;
            }
        }

        if (transport == RedisTransport.Unix)
        {
            var path = Uri.UnescapeDataString(uri.AbsolutePath);
            if (uri.Host.Length > 0 || path.Length <= 1)
            {
                error = $"REDIS_URL '{shown}' is not unix:///absolute/path/to/redis.sock";
                return false;
            }

            var unixDb = 0;
            var query = uri.Query.TrimStart('?');
            if (query.Length > 0 && (!query.StartsWith("db=", StringComparison.Ordinal) || !TryDatabase(query[3..], out unixDb)))
            {
                error = $"REDIS_URL '{shown}': the only query parameter understood is ?db=N (N ≥ 0)";
                return false;
            }

            endpoint = new RedisEndpoint(RedisTransport.Unix, "", 0, path, unixDb, user, password);
            return true;
        }

        if (uri.Host.Length == 0)
        {
            error = $"REDIS_URL '{shown}' has no host";
            return false;
        }

        if (uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            error = $"REDIS_URL '{shown}' has a query or fragment; the database goes in the path: redis://host:6379/2";
            return false;
        }

        var database = 0;
        var dbPath = uri.AbsolutePath.Trim('/');
        if (dbPath.Length > 0 && !TryDatabase(dbPath, out database))
        {
            error = $"REDIS_URL '{shown}': path '/{dbPath}' is not a database number (N ≥ 0)";
            return false;
        }

        endpoint = new RedisEndpoint(transport.Value, uri.IdnHost.Trim('[', ']'), uri.IsDefaultPort || uri.Port < 0 ? DefaultPort : uri.Port,
            null, database, user, password);
        return true;
    }

    /// <summary>The URL with the password replaced by <c>***</c>, for logs and messages.</summary>
    public override string ToString()
    {
        var auth = Password is null ? "" : (User is null ? ":***@" : Uri.EscapeDataString(User) + ":***@");
        return Transport switch
        {
            RedisTransport.Unix => "unix://" + (auth.Length > 0 ? auth : "") + SocketPath + (Database != 0 ? "?db=" + Database.ToString(CultureInfo.InvariantCulture) : ""),
            _ => (Transport == RedisTransport.Tls ? "rediss://" : "redis://") + auth + (Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]" : Host)
                 + ":" + Port.ToString(CultureInfo.InvariantCulture) + (Database != 0 ? "/" + Database.ToString(CultureInfo.InvariantCulture) : ""),
        };
    }

    /// <summary>Hides whatever sits between the scheme's "//" and the last "@" after its last ':' (a password).</summary>
    internal static string Redact(string url)
    {
        var schemeEnd = url.IndexOf("//", StringComparison.Ordinal);
        var at = url.LastIndexOf('@');
        if (schemeEnd < 0 || at < schemeEnd)
        {
            return url;
        }

        var userInfo = url[(schemeEnd + 2)..at];
        var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
        var user = colon < 0 ? userInfo : userInfo[..colon];
        return url[..(schemeEnd + 2)] + (colon < 0 ? "***" : user + ":***") + url[at..];
    }

    private static bool TryDatabase(string text, out int database) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out database) && database >= 0;
}
