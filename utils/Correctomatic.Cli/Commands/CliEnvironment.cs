using Correctomatic.Shared.Configuration;
using Correctomatic.Shared.Contracts;
using Correctomatic.Shared.Docker;
using Correctomatic.Shared.Redis;

namespace Correctomatic.Cli.Commands;

/// <summary>
/// What a command needs from the deployment: settings from the environment and .env (as the services read them),
/// and Redis and Docker clients made on first use.
/// </summary>
public sealed class CliEnvironment : IAsyncDisposable
{
    private readonly SettingsReader _reader;
    private RedisConnections? _redis;
    private IDockerClient? _docker;

    private CliEnvironment(SettingsReader reader, CommonSettings common)
    {
        _reader = reader;
        Common = common;
    }

    public CommonSettings Common { get; }

    /// <summary>The settings as read once for this command (.env and environment), for commands that need more than the common ones.</summary>
    public SettingsReader Settings => _reader;
    public StreamNames Streams => Common.Streams;

    /// <summary>Reads the settings; a bad one throws <see cref="InvalidSettingsException"/> naming it.</summary>
    public static CliEnvironment Load()
    {
        var reader = new SettingsReader(CorrectomaticConfiguration.Build());
        var common = CommonSettings.Read(reader);
        reader.ThrowIfInvalid();
        return new CliEnvironment(reader, common);
    }

    /// <summary>Connected, or a <see cref="StackExchange.Redis.RedisConnectionException"/> within REDIS_CONNECT_TIMEOUT (a CLI fails fast, exit 3).</summary>
    public async Task<RedisConnections> RedisAsync(CancellationToken cancellationToken)
    {
        if (_redis is null)
        {
            var options = RedisSettings.Read(_reader, clientName: "correctomatic-cli");
            _reader.ThrowIfInvalid();
            var configuration = options.ToConfigurationOptions();
            configuration.AbortOnConnectFail = true;
            _redis = new RedisConnections(options, await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(configuration).WaitAsync(cancellationToken));
        }

        return _redis;
    }

    public IDockerClient Docker()
    {
        if (_docker is null)
        {
            _docker = DockerClient.FromSettings(_reader, TimeProvider.System);
        }

        return _docker;
    }

    public async ValueTask DisposeAsync()
    {
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }

        _docker?.Dispose();
    }
}
