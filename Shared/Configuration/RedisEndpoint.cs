using System.Globalization;

namespace Correctomatic.Shared.Configuration;

/// <summary>
/// REDIS_URL, parsed (issue #12): <c>redis://[user:password@]host:port[/db]</c>, <c>rediss://</c> for TLS,
/// <c>unix:///path[?db=N]</c>, and <c>redis+sentinel://[user:password@]host:port,host:port/service[/db]</c> (the sentinels
/// to ask for the primary of <c>service</c>). Shared/Redis/RedisClientOptions.cs maps it to the library's options.
/// <see cref="ToString"/> never shows the password.
/// </summary>
public sealed class RedisEndpoint
{
    private const string Expected = "expected redis://[user:password@]host:port[/db], rediss://..., unix:///path or redis+sentinel://host:port,host:port/service";

    private RedisEndpoint(string scheme, IReadOnlyList<string> hosts, string? service, int database, string? user, string? password)
    {
        Scheme = scheme;
        Hosts = hosts;
        ServiceName = service;
        Database = database;
        User = user;
        Password = password;
    }

    public string Scheme { get; }

    /// <summary><c>host:port</c> each (the sentinels for redis+sentinel), or the socket path for unix.</summary>
    public IReadOnlyList<string> Hosts { get; }
    public string? ServiceName { get; }
    public int Database { get; }
    public string? User { get; }
    public string? Password { get; }
    public bool IsTls => Scheme == "rediss";

    public static RedisEndpoint Parse(string url) => TryParse(url, out var endpoint, out var error) ? endpoint : throw new FormatException(error);

    public static bool TryParse(string? url, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out RedisEndpoint? endpoint, out string error)
    {
        endpoint = null;
        url = url?.Trim() ?? "";
        var shown = Redact(url);
        error = $"REDIS_URL '{shown}' is not valid; {Expected}";
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd <= 0)
        {
            return false;
        }

        var scheme = url[..schemeEnd];
        var rest = url[(schemeEnd + 3)..];
        string? user = null, password = null;
        var at = rest.LastIndexOf('@');
        if (at >= 0)
        {
            var userInfo = rest[..at];
            rest = rest[(at + 1)..];
            var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0 || colon == userInfo.Length - 1)
            {
                error = $"REDIS_URL '{shown}' names a user but no password; write redis://user:password@host or redis://:password@host";
                return false;
            }

            user = colon == 0 ? null : Uri.UnescapeDataString(userInfo[..colon]);
            password = Uri.UnescapeDataString(userInfo[(colon + 1)..]);
        }

        var database = 0;
        switch (scheme)
        {
            case "unix":
                var query = rest.IndexOf('?', StringComparison.Ordinal);
                var path = Uri.UnescapeDataString(query < 0 ? rest : rest[..query]);
                if (query >= 0 && (!rest[(query + 1)..].StartsWith("db=", StringComparison.Ordinal) || !TryDatabase(rest[(query + 4)..], out database)))
                {
                    error = $"REDIS_URL '{shown}': the only query parameter understood is ?db=N (N ≥ 0)";
                    return false;
                }

                if (!path.StartsWith('/') || path.Length < 2)
                {
                    error = $"REDIS_URL '{shown}' is not unix:///absolute/path/to/redis.sock";
                    return false;
                }

                endpoint = new RedisEndpoint(scheme, [path], null, database, user, password);
                return true;
            case "redis" or "rediss" or "redis+sentinel":
                var parts = rest.Split('/');
                var sentinel = scheme == "redis+sentinel";
                var dbIndex = sentinel ? 2 : 1;
                if (parts.Length > dbIndex + 1 || rest.Contains('?', StringComparison.Ordinal) || rest.Contains('#', StringComparison.Ordinal)
                    || (parts.Length > dbIndex && parts[dbIndex].Length > 0 && !TryDatabase(parts[dbIndex], out database)))
                {
                    error = $"REDIS_URL '{shown}': after the host comes only {(sentinel ? "/service[/db]" : "[/db]")}, the database a number ≥ 0";
                    return false;
                }

                var service = sentinel && parts.Length > 1 && parts[1].Length > 0 ? parts[1] : null;
                if (sentinel && service is null)
                {
                    error = $"REDIS_URL '{shown}' names no service: redis+sentinel://host:26379,host:26379/mymaster";
                    return false;
                }

                var hosts = new List<string>();
                foreach (var host in parts[0].Split(','))
                {
                    if (!TryHostPort(host, sentinel ? 26379 : 6379, out var hostPort) || (!sentinel && hosts.Count > 0))
                    {
                        error = $"REDIS_URL '{shown}': '{host}' is not host[:port]{(sentinel ? "" : " (one host; use redis+sentinel:// for several)")}";
                        return false;
                    }

                    hosts.Add(hostPort);
                }

                endpoint = new RedisEndpoint(scheme, hosts, service, database, user, password);
                return true;
            default:
                error = $"REDIS_URL '{shown}' has scheme '{scheme}'; {Expected}";
                return false;
        }
    }

    /// <summary>The URL with the password replaced by <c>***</c>, for logs and messages.</summary>
    public override string ToString()
    {
        var auth = Password is null ? "" : (User is null ? ":***@" : Uri.EscapeDataString(User) + ":***@");
        var db = Database == 0 ? "" : Database.ToString(CultureInfo.InvariantCulture);
        return Scheme == "unix"
            ? $"unix://{auth}{Hosts[0]}{(db.Length > 0 ? "?db=" + db : "")}"
            : $"{Scheme}://{auth}{string.Join(',', Hosts)}{(ServiceName is null ? "" : "/" + ServiceName)}{(db.Length > 0 ? "/" + db : "")}";
    }

    /// <summary>Hides whatever sits between the scheme's "//" and the last "@" after its first ':' (a password).</summary>
    public static string Redact(string url)
    {
        var schemeEnd = url.IndexOf("//", StringComparison.Ordinal);
        var at = url.LastIndexOf('@');
        if (schemeEnd < 0 || at < schemeEnd)
        {
            return url;
        }

        var userInfo = url[(schemeEnd + 2)..at];
        var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
        return url[..(schemeEnd + 2)] + (colon < 0 ? "***" : userInfo[..colon] + ":***") + url[at..];
    }

    private static bool TryHostPort(string text, int defaultPort, out string hostPort)
    {
        hostPort = "";
        var bracket = text.StartsWith('[') ? text.IndexOf(']', StringComparison.Ordinal) : -1;
        var colon = bracket >= 0 ? text.IndexOf(':', bracket) : text.LastIndexOf(':');
        var host = colon < 0 ? text : text[..colon];
        var port = defaultPort;
        if (host.Trim('[', ']').Length == 0
            || (colon >= 0 && (!int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535)))
        {
            return false;
        }

        hostPort = host + ":" + port.ToString(CultureInfo.InvariantCulture);
        return true;
    }

    private static bool TryDatabase(string text, out int database) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out database) && database >= 0;
}
