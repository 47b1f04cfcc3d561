using System.Net;
using System.Text.Json;
using Correctomatic.Completer;
using Correctomatic.Notifier;
using Correctomatic.Shared.Hosting;
using Correctomatic.Starter;
using Correctomatic.Tests.Integration.Docker;
using Correctomatic.Tests.Integration.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Correctomatic.Tests.Integration.Hosting;

/// <summary>
/// Issue #16: each service's /health/ready turns 503 when Redis stops, and (starter, completer) when the Docker engine
/// cannot be reached, and 200 again once they are back; /health/live stays 200 meanwhile. Each service runs in this
/// process, built by its own wiring, against a private redis-server and, for Docker, a socket proxy this test cuts
/// (never the shared engine).
/// </summary>
public sealed class ReadinessTests
{
    private static readonly TimeSpan s_waitLimit = TimeSpan.FromSeconds(30);
    private static readonly HttpClient s_http = new() { Timeout = TimeSpan.FromSeconds(10) };

    [Theory]
    [InlineData("starter")]
    [InlineData("completer")]
    [InlineData("notifier")]
    public async Task Ready_RedisStopsAndReturns_UnreadyThenReady(string service)
    {
        await DockerEngine.RequireAsync();
        await using var redis = await RedisServer.StartAsync(tcp: false); // a server of its own: this test stops it
        await using var proxy = UnixSocketProxy.Start(DockerSocket());
        using var host = await StartAsync(service, redis, proxy);
        var address = host.Services.GetRequiredService<OperationsEndpoint>().Address!;

        await WaitForAsync(address, "health/ready", HttpStatusCode.OK);
        await redis.StopAsync();
        var down = await WaitForAsync(address, "health/ready", HttpStatusCode.ServiceUnavailable);
        var live = await s_http.GetAsync(new Uri(address, "health/live"));
        await redis.StartAgainAsync();
        await WaitForAsync(address, "health/ready", HttpStatusCode.OK);
        await host.StopAsync();

        Assert.Equal("Unhealthy", Check(down, "redis"));
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        if (service != "notifier")
        {
            Assert.Equal("Healthy", Check(down, "docker"));
        }
    }

    [Theory]
    [InlineData("starter")]
    [InlineData("completer")]
    public async Task Ready_DockerEngineUnreachableAndBack_UnreadyThenReady(string service)
    {
        await DockerEngine.RequireAsync();
        await using var redis = await RedisServer.StartAsync();
        await using var proxy = UnixSocketProxy.Start(DockerSocket());
        using var host = await StartAsync(service, redis, proxy);
        var address = host.Services.GetRequiredService<OperationsEndpoint>().Address!;

        await WaitForAsync(address, "health/ready", HttpStatusCode.OK);
        proxy.Cut();
        var down = await WaitForAsync(address, "health/ready", HttpStatusCode.ServiceUnavailable);
        proxy.Resume();
        var up = await WaitForAsync(address, "health/ready", HttpStatusCode.OK);
        await host.StopAsync();

        Assert.Equal("Unhealthy", Check(down, "docker"));
        Assert.Equal("Healthy", Check(down, "redis"));
        Assert.Equal("Healthy", Check(up, "docker"));
    }

    [Fact]
    public async Task Ready_Notifier_HasNoDockerCheck()
    {
        await using var redis = await RedisServer.StartAsync();
        using var host = await StartAsync("notifier", redis, proxy: null);
        var address = host.Services.GetRequiredService<OperationsEndpoint>().Address!;

        var ready = await WaitForAsync(address, "health/ready", HttpStatusCode.OK);
        await host.StopAsync();

        Assert.Equal("Healthy", Check(ready, "redis"));
        Assert.False(ready.RootElement.GetProperty("checks").TryGetProperty("docker", out _));
    }

    private static string DockerSocket() =>
        DockerEngine.Host.StartsWith("unix://", StringComparison.Ordinal) ? DockerEngine.Host["unix://".Length..] : "/var/run/docker.sock";

    private static string Check(JsonDocument report, string name) =>
        report.RootElement.GetProperty("checks").GetProperty(name).GetProperty("status").GetString()!;

    /// <summary>Polls until the endpoint answers <paramref name="expected"/>; fails with the last answer after the limit.</summary>
    private static async Task<JsonDocument> WaitForAsync(Uri address, string path, HttpStatusCode expected)
    {
        var until = DateTime.UtcNow + s_waitLimit;
        var last = "";
        while (DateTime.UtcNow < until)
        {
            using var response = await s_http.GetAsync(new Uri(address, path));
            last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
            if (response.StatusCode == expected)
            {
                return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            }

            await Task.Delay(100);
        }

        Assert.Fail($"{path} did not answer {(int)expected} within {s_waitLimit.TotalSeconds} s; last: {last}");
        return null!;
    }

    private static async Task<IHost> StartAsync(string service, RedisServer redis, UnixSocketProxy? proxy)
    {
        var id = Guid.NewGuid().ToString("N")[..10];
        var settings = new Dictionary<string, string?>
        {
            ["REDIS_URL"] = redis.UnixUrl,
            ["DOCKER_HOST"] = proxy?.DockerHost ?? DockerEngine.Host,
            ["DOCKER_HOST_ID"] = "ready-" + id,
            ["QUEUE_PREFIX"] = $"ready-{id}:",
            ["STARTER_HEALTH_LISTEN"] = "http://127.0.0.1:0",
            ["COMPLETER_HEALTH_LISTEN"] = "http://127.0.0.1:0",
            ["NOTIFIER_HEALTH_LISTEN"] = "http://127.0.0.1:0",
            ["HEALTH_CHECK_TIMEOUT"] = "1s",
            ["REDIS_RECONNECT_TIMEOUT"] = "500ms",
            ["STARTER_READ_BLOCK"] = "200ms",
            ["NOTIFIER_READ_BLOCK"] = "200ms",
            ["CALLBACK_SIGNING_SECRET"] = "readiness-test-secret-0123456789abcdef0123456789",
        };
        var builder = ServiceDefaults.CreateBuilder([]);
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        _ = service switch
        {
            "starter" => builder.AddStarter().AddOperations(ServiceIdentity.Starter),
            "completer" => builder.AddCompleter().AddOperations(ServiceIdentity.Completer),
            _ => builder.AddNotifier().AddOperations(ServiceIdentity.Notifier),
        };
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }
}
