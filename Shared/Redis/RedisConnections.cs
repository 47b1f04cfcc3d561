using StackExchange.Redis;

namespace Correctomatic.Shared.Redis;

/// <summary>
/// One process's connections to Redis (STYLE habit 2): one shared <see cref="IConnectionMultiplexer"/> for every
/// non-blocking command, and dedicated multiplexers made on demand for what must not share it — a blocking read
/// (XREADGROUP … BLOCK would stall every command pipelined behind it) and, when <see cref="RedisClientOptions.WaitReplicas"/>
/// is set, WAIT after a hand-off. Disposing closes them all.
/// </summary>
public sealed class RedisConnections : IAsyncDisposable
{
    private readonly Lazy<Task<IConnectionMultiplexer>> _durable;

    public RedisConnections(RedisClientOptions options, IConnectionMultiplexer? shared = null)
    {
        Options = options;
        Shared = shared ?? ConnectionMultiplexer.Connect(options.ToConfigurationOptions());
        _durable = new(() => ConnectDedicatedAsync("-durable", options.WaitTimeout));
    }

    public RedisClientOptions Options { get; }

    public IConnectionMultiplexer Shared { get; }

    public IDatabase Database => Shared.GetDatabase();

    /// <summary>
    /// A multiplexer of its own, RESP2 (replies of commands sent through ExecuteAsync keep their RESP2 shape), whose
    /// timeout is the command timeout plus <paramref name="extraTimeout"/> (the longest BLOCK or WAIT it will send).
    /// </summary>
    public async Task<IConnectionMultiplexer> ConnectDedicatedAsync(string nameSuffix, TimeSpan extraTimeout)
    {
        var options = Options.ToConfigurationOptions(nameSuffix, extraTimeout);
        options.Protocol = RedisProtocol.Resp2;
        return await ConnectionMultiplexer.ConnectAsync(options).ConfigureAwait(false);
    }

    /// <summary>The multiplexer hand-offs run on when they are followed by WAIT (so WAIT covers exactly their writes).</summary>
    internal Task<IConnectionMultiplexer> DurableAsync() => _durable.Value;

    public async ValueTask DisposeAsync()
    {
        if (_durable.IsValueCreated && _durable.Value.IsCompletedSuccessfully)
        {
            await (await _durable.Value.ConfigureAwait(false)).DisposeAsync().ConfigureAwait(false);
        }

        await Shared.DisposeAsync().ConfigureAwait(false);
    }
}
