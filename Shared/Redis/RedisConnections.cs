using StackExchange.Redis;

namespace Correctomatic.Shared.Redis;

/// <summary>
/// One process's connections to Redis (STYLE habit 2): one shared multiplexer for every non-blocking command, and
/// dedicated ones for what must not share it: a blocking read (XREAD BLOCK would stall every command pipelined behind it)
/// and, with <see cref="RedisClientOptions.WaitReplicas"/> set, hand-offs followed by WAIT. Disposing closes them all.
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

    /// <summary>RESP2 (replies through ExecuteAsync keep that shape); its timeout allows for the longest BLOCK or WAIT it sends.</summary>
    internal async Task<IConnectionMultiplexer> ConnectDedicatedAsync(string nameSuffix, TimeSpan extraTimeout)
    {
        var options = Options.ToConfigurationOptions(nameSuffix, extraTimeout);
        options.Protocol = RedisProtocol.Resp2;
        return await ConnectionMultiplexer.ConnectAsync(options).ConfigureAwait(false);
    }

    /// <summary>The multiplexer of the hand-offs followed by WAIT, so WAIT covers exactly their writes.</summary>
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
