using Correctomatic.Shared.Redis;

namespace Correctomatic.Tests.Unit.Redis;

public sealed class RedisEndpointTests
{
    [Fact]
    public void Parse_HostOnly_DefaultsPortAndDatabase()
    {
        var endpoint = RedisEndpoint.Parse("redis://127.0.0.1");
        Assert.Equal((RedisTransport.Tcp, "127.0.0.1", 6379, 0), (endpoint.Transport, endpoint.Host, endpoint.Port, endpoint.Database));
        Assert.Null(endpoint.User);
        Assert.Null(endpoint.Password);
    }

    [Fact]
    public void Parse_UserPasswordPortDatabase_ReadsEveryPart()
    {
        var endpoint = RedisEndpoint.Parse("redis://app:s%40cret@redis.internal:6380/3");
        Assert.Equal(("redis.internal", 6380, 3, "app", "s@cret"), (endpoint.Host, endpoint.Port, endpoint.Database, endpoint.User, endpoint.Password));
    }

    [Fact]
    public void Parse_PasswordOnly_HasNoUser()
    {
        var endpoint = RedisEndpoint.Parse("redis://:pw@localhost:6379");
        Assert.Null(endpoint.User);
        Assert.Equal("pw", endpoint.Password);
    }

    [Fact]
    public void Parse_Rediss_IsTls() => Assert.Equal(RedisTransport.Tls, RedisEndpoint.Parse("rediss://h:6380").Transport);

    [Fact]
    public void Parse_Ipv6_StripsBrackets() => Assert.Equal("::1", RedisEndpoint.Parse("redis://[::1]:7000").Host);

    [Fact]
    public void Parse_UnixSocket_ReadsPathAndDatabase()
    {
        var endpoint = RedisEndpoint.Parse("unix:///run/redis/redis.sock?db=2");
        Assert.Equal((RedisTransport.Unix, "/run/redis/redis.sock", 2), (endpoint.Transport, endpoint.SocketPath, endpoint.Database));
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("localhost:6379", "scheme")]
    [InlineData("http://localhost:6379", "scheme 'http'")]
    [InlineData("redis://localhost:6379/x", "not a database number")]
    [InlineData("redis://localhost:6379/-1", "not a database number")]
    [InlineData("redis://localhost:6379?db=1", "query")]
    [InlineData("redis://user@localhost", "no password")]
    [InlineData("unix://", "unix:///absolute/path")]
    [InlineData("unix:///s.sock?timeout=1", "?db=N")]
    [InlineData("redis://localhost:99999", "not a URL")]
    public void TryParse_BadUrl_FailsWithMessageSayingWhy(string url, string expected)
    {
        Assert.False(RedisEndpoint.TryParse(url, out _, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_BadUrlWithPassword_NeverShowsThePassword()
    {
        Assert.False(RedisEndpoint.TryParse("redis://u:topsecret@localhost:6379/abc", out _, out var error));
        Assert.DoesNotContain("topsecret", error, StringComparison.Ordinal);
        Assert.Contains("u:***@", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("redis://u:topsecret@h:1/2", "redis://u:***@h:1/2")]
    [InlineData("redis://:topsecret@h", "redis://:***@h:6379")]
    [InlineData("rediss://h:6380", "rediss://h:6380")]
    [InlineData("unix:///tmp/r.sock", "unix:///tmp/r.sock")]
    public void ToString_AnyEndpoint_RedactsThePassword(string url, string expected) =>
        Assert.Equal(expected, RedisEndpoint.Parse(url).ToString());
}
