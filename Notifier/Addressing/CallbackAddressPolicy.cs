using System.Net;

namespace Correctomatic.Notifier.Addressing;

/// <summary>
/// Which resolved addresses a callback may connect to (issue #7), so a job cannot make the notifier POST into the
/// cloud metadata service or the internal network (SSRF). Link-local and metadata addresses are always refused;
/// loopback, private, shared (CGNAT) and unique-local ranges only when listed in CALLBACK_ALLOWED_NETWORKS.
/// </summary>
public sealed class CallbackAddressPolicy(IReadOnlyList<IPNetwork> allowed)
{
    private static readonly IPNetwork[] s_alwaysRefused =
    [
        IPNetwork.Parse("169.254.0.0/16"),     // IPv4 link-local, incl. 169.254.169.254 (AWS, GCP, Azure, OpenStack metadata)
        IPNetwork.Parse("fe80::/10"),          // IPv6 link-local
        IPNetwork.Parse("fd00:ec2::254/128"),  // AWS metadata over IPv6
        IPNetwork.Parse("100.100.100.200/32"), // Alibaba Cloud metadata
        IPNetwork.Parse("168.63.129.16/32"),   // Azure wire server
        IPNetwork.Parse("0.0.0.0/8"),          // "this network": 0.0.0.0 reaches the local host on Linux
        IPNetwork.Parse("224.0.0.0/4"),        // multicast
        IPNetwork.Parse("240.0.0.0/4"),        // reserved, incl. broadcast
        IPNetwork.Parse("ff00::/8"),           // IPv6 multicast
    ];

    private static readonly IPNetwork[] s_internal =
    [
        IPNetwork.Parse("127.0.0.0/8"),
        IPNetwork.Parse("10.0.0.0/8"),
        IPNetwork.Parse("172.16.0.0/12"),
        IPNetwork.Parse("192.168.0.0/16"),
        IPNetwork.Parse("100.64.0.0/10"),      // shared address space (RFC 6598)
        IPNetwork.Parse("198.18.0.0/15"),      // benchmarking (RFC 2544), often internal
        IPNetwork.Parse("::1/128"),
        IPNetwork.Parse("::/128"),
        IPNetwork.Parse("fc00::/7"),           // unique local
    ];

    /// <summary>Null when <paramref name="address"/> may be used, otherwise why not.</summary>
    public string? Check(IPAddress address)
    {
        // ::ffff:a.b.c.d reaches a.b.c.d: judge the IPv4 address.
        var ip = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        foreach (var network in s_alwaysRefused)
        {
            if (network.Contains(ip))
            {
                return $"{ip} is link-local, metadata or not unicast ({network}); always refused";
            }
        }

        foreach (var network in s_internal)
        {
            if (network.Contains(ip) && !IsAllowed(ip))
            {
                return $"{ip} is loopback or private ({network}); allow it in CALLBACK_ALLOWED_NETWORKS";
            }
        }

        return null;
    }

    private bool IsAllowed(IPAddress ip)
    {
        foreach (var network in allowed)
        {
            if (network.Contains(ip))
            {
                return true;
            }
        }

        return false;
    }
}
