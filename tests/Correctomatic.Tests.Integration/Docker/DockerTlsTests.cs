using Correctomatic.Shared.Configuration;
using Correctomatic.Shared.Docker;
using Correctomatic.Tests.Integration.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace Correctomatic.Tests.Integration.Docker;

/// <summary>tcp:// with DOCKER_TLS_VERIFY and DOCKER_CERT_PATH, against the real engine behind a TLS front (issue #4).</summary>
public sealed class DockerTlsTests
{
    [Fact]
    public async Task FromSettings_TcpWithTlsVerify_PresentsTheClientCertificateAndReachesTheEngine()
    {
        await using var run = await DockerTestRun.StartAsync();
        using var certificates = TestCertificates.Create();
        await using var proxy = new TlsEngineProxy(EngineSocket(), certificates);
        var reader = new SettingsReader(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["DOCKER_HOST"] = proxy.DockerHost,
            ["DOCKER_TLS_VERIFY"] = "1",
            ["DOCKER_CERT_PATH"] = certificates.Directory,
        }).Build());
        using var viaTls = DockerClient.FromSettings(reader);

        await viaTls.PingAsync();
        var info = await viaTls.GetInfoAsync();
        var id = await viaTls.CreateContainerAsync(run.Spec("echo over tls"));
        await viaTls.StartContainerAsync(id);
        await viaTls.WaitContainerAsync(id);
        var logs = await viaTls.GetLogsAsync(id, 1024);
        await viaTls.RemoveContainerAsync(id);

        Assert.Equal((await run.Client.GetInfoAsync()).Id, info.Id);
        Assert.Equal(proxy.DockerHost, viaTls.Endpoint);
        Assert.Equal("over tls\n", System.Text.Encoding.UTF8.GetString(logs.Stdout));
        Assert.Contains(certificates.Client.GetCertHashString(), proxy.ClientCertificates);
    }

    [Fact]
    public async Task Ping_EngineCertificateFromAnotherCa_RefusedAsUnreachable()
    {
        await DockerEngine.RequireAsync();
        using var engineCertificates = TestCertificates.Create();
        using var otherCa = TestCertificates.Create();
        await using var proxy = new TlsEngineProxy(EngineSocket(), engineCertificates);
        using var client = DockerClient.Create(proxy.DockerHost, tlsVerify: true, certPath: otherCa.Directory);

        var ex = await Assert.ThrowsAsync<DockerUnreachableException>(() => client.PingAsync());

        Assert.Contains(proxy.DockerHost, ex.Message, StringComparison.Ordinal);
        Assert.Contains("SSL", ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    private static string EngineSocket() => DockerEndpoint.Parse(DockerEngine.Host).SocketPath
        ?? throw new InvalidOperationException("this test puts a TLS front on a unix-socket DOCKER_HOST");
}
