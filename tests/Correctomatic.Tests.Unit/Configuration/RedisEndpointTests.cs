using Correctomatic.Shared.Configuration;

namespace Correctomatic.Tests.Unit.Configuration;

public sealed class RedisEndpointTests
{
    [Fact]
    public void Parse_HostOnly_DefaultsPortAndDatabase()
    {
        var endpoint = RedisEndpoint.Parse("redis://127.0.0.1");
        Assert.Equal(("redis", "127.0.0.1:6379", 0), (endpoint.Scheme, Assert.Single(endpoint.Hosts), endpoint.Database));
        Assert.Null(endpoint.User);
        Assert.Null(endpoint.Password);
    }

    [Fact]
    public void Parse_UserPasswordPortDatabase_ReadsEveryPart()
    {
        var endpoint = RedisEndpoint.Parse("redis://app:s%40cret@redis.internal:6380/3");
        Assert.Equal(("redis.internal:6380", 3, "app", "s@cret"), (endpoint.Hosts[0], endpoint.Database, endpoint.User, endpoint.Password));
    }

    [Fact]
    public void Parse_PasswordOnly_HasNoUser()
    {
        var endpoint = RedisEndpoint.Parse("redis://:pw@localhost:6379");
        Assert.Null(endpoint.User);
        Assert.Equal("pw", endpoint.Password);
    }

    [Fact]
    public void Parse_Ipv6_KeepsBrackets() => Assert.Equal("[::1]:7000", RedisEndpoint.Parse("redis://[::1]:7000").Hosts[0]);

    [Theory]
    [InlineData("", "expected redis://")]
    [InlineData("localhost:6379", "expected redis://")]
    [InlineData("http://localhost:6379", "scheme 'http'")]
    [InlineData("redis://localhost:6379/x", "a number")]
    [InlineData("redis://localhost:6379/-1", "a number")]
    [InlineData("redis://localhost:6379?db=1", "only [/db]")]
    [InlineData("redis://user@localhost", "no password")]
    [InlineData("redis://a:1,b:2", "use redis+sentinel://")]
    [InlineData("redis+sentinel://a:26379", "names no service")]
    [InlineData("unix://", "unix:///absolute/path")]
    [InlineData("unix:///s.sock?timeout=1", "?db=N")]
    [InlineData("redis://localhost:99999", "not host[:port]")]
    public void TryParse_BadUrl_FailsWithMessageSayingWhy(string url, string expected)
    {
        Assert.False(RedisEndpoint.TryParse(url, out _, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Contains("REDIS_URL", error, StringComparison.Ordinal);
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
    [InlineData("redis+sentinel://:topsecret@a,b:1/m", "redis+sentinel://:***@a:26379,b:1/m")]
    public void ToString_AnyEndpoint_RedactsThePassword(string url, string expected) =>
        Assert.Equal(expected, RedisEndpoint.Parse(url).ToString());
}
