using Correctomatic.Shared.Configuration;
using Correctomatic.Shared.Redis;
using Microsoft.Extensions.Configuration;
using StackExchange.Redis;

namespace Correctomatic.Tests.Integration.Redis;

/// <summary>rediss:// against redis-server's tls-port, with a CA and server certificate made here with the openssl CLI.</summary>
public sealed class RedisTlsTests : IAsyncLifetime
{
    private readonly string _certs = Path.Combine(Path.GetTempPath(), "ct-redis-tls-" + Guid.NewGuid().ToString("N")[..8]);
    private RedisServer _server = null!;
    private int _tlsPort;

    private string CaFile => P("ca.crt");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_certs);
        await OpenSslAsync("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", P("ca.key"),
            "-out", P("ca.crt"), "-days", "1", "-subj", "/CN=correctomatic-test-ca");
        await OpenSslAsync("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", P("server.key"),
            "-out", P("server.csr"), "-subj", "/CN=localhost");
        await File.WriteAllTextAsync(P("san.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
        await OpenSslAsync("x509", "-req", "-in", P("server.csr"), "-CA", P("ca.crt"), "-CAkey", P("ca.key"), "-CAcreateserial",
            "-out", P("server.crt"), "-days", "1", "-extfile", P("san.ext"));
        // The container's redis user reads the key through the read-only mount (a throwaway test key).
        File.SetUnixFileMode(P("server.key"), UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        _tlsPort = RedisServer.FreeTcpPort();
        var files = RedisServer.FilesDirectory;
        _server = await RedisServer.StartWithFilesAsync(true, _certs,
            "--tls-port", _tlsPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--tls-cert-file", files + "/server.crt", "--tls-key-file", files + "/server.key",
            "--tls-ca-cert-file", files + "/ca.crt", "--tls-auth-clients", "no");
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_certs, recursive: true);
    }

    private RedisConnections CreateSut(string host, string? caFile) => new(new RedisClientOptions
    {
        Endpoint = RedisEndpoint.Parse($"rediss://{host}:{_tlsPort}"),
        TlsCaFile = caFile,
        ConnectTimeout = TimeSpan.FromSeconds(2),
        CommandTimeout = TimeSpan.FromSeconds(2),
    });

    [Theory]
    [InlineData("localhost")]
    [InlineData("127.0.0.1")]
    public async Task Command_TlsWithCaFile_Works(string host)
    {
        await using var client = CreateSut(host, CaFile);
        await client.Database.StringSetAsync("tls", "yes");
        Assert.Equal("yes", (await client.Database.StringGetAsync("tls")).ToString());
        var info = (await client.ExecuteAsync("CLIENT", "INFO")).AsString()!;
        Assert.Contains($"laddr=127.0.0.1:{_tlsPort}", info, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Command_TlsWithoutTrustedCa_FailsWithConnectionError()
    {
        await using var client = CreateSut("localhost", caFile: null);
        var ex = await Assert.ThrowsAnyAsync<Exception>(() => client.ExecuteAsync("PING").WaitAsync(TimeSpan.FromSeconds(15)));
        Assert.True(ex is RedisConnectionException or RedisTimeoutException, ex.GetType().Name);
    }

    [Fact]
    public void Read_CaFileMissing_NamesTheSetting()
    {
        var reader = new SettingsReader(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["REDIS_URL"] = $"rediss://localhost:{_tlsPort}",
            ["REDIS_TLS_CA_FILE"] = P("missing.crt"),
        }).Build());
        RedisSettings.Read(reader, "tls-test");
        var ex = Assert.Throws<InvalidSettingsException>(reader.ThrowIfInvalid);
        Assert.Contains("REDIS_TLS_CA_FILE", ex.Message, StringComparison.Ordinal);
    }

    private string P(string name) => Path.Combine(_certs, name);

    private async Task OpenSslAsync(params string[] arguments)
    {
        var result = await ProcessRunner.RunAsync(ProcessRunner.Require("openssl"), arguments, timeout: TimeSpan.FromSeconds(30),
            environment: new Dictionary<string, string> { ["RANDFILE"] = Path.Combine(_certs, ".rnd") });
        Assert.True(result.ExitCode == 0, $"openssl {string.Join(' ', arguments)} failed: {result.Stderr}");
    }
}
