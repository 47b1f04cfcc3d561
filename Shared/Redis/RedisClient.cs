using Correctomatic.Shared.Redis.Connection;
using Correctomatic.Shared.Redis.Protocol;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Correctomatic.Shared.Redis;

/// <summary>
/// Our Redis client (issue #3): one multiplexed, pipelined connection for ordinary commands, a small pool of dedicated
/// connections for blocking reads, and reconnection with backoff. Thread-safe; make one per process and share it.
/// </summary>
public sealed partial class RedisClient : IRedisClient, IAsyncDisposable
{
    private readonly RedisClientOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly Reconnector _shared;
    private static readonly string[] Multi = ["MULTI"];
    private readonly BlockingPool _blocking;

    public RedisClient(RedisClientOptions options, TimeProvider? timeProvider = null, ILogger<RedisClient>? logger = null)
    {
        _options = options;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _shared = new Reconnector(this, options.ClientName);
        _blocking = new BlockingPool(this);
    }

    /// <summary>A client for <paramref name="redisUrl"/> with default timeouts (tools, tests).</summary>
    public static RedisClient FromUrl(string redisUrl, string clientName = "correctomatic") =>
        new(new RedisClientOptions { Endpoint = RedisEndpoint.Parse(redisUrl), ClientName = RedisClientOptions.DefaultClientName(clientName) });

    public RedisEndpoint Endpoint => _options.Endpoint;

    /// <summary>Connects now (so a service can log what it connected to and fail at start if Redis is unreachable).</summary>
    public async Task ConnectAsync(CancellationToken cancellationToken = default) =>
        await _shared.GetAsync(cancellationToken);

    public Task<RedisReply> ExecuteAsync(params string[] arguments) => ExecuteAsync(arguments, CancellationToken.None);

    public Task<RedisReply> ExecuteAsync(string[] arguments, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfZero(arguments.Length);
        var connection = _shared.Current;
        if (connection is null || !connection.IsHealthy)
        {
            return ExecuteSlowAsync(arguments, cancellationToken);
        }

        // Fast path: no async state machine. A cancelled caller stops waiting; the reply, when it comes, is dropped.
        var reply = connection.SendAsync(arguments);
        return cancellationToken.CanBeCanceled ? reply.WaitAsync(cancellationToken) : reply;
    }

    public async Task<RedisReply> ExecuteBlockingAsync(string[] arguments, TimeSpan block, CancellationToken cancellationToken = default)
    {
        var connection = await _blocking.RentAsync(cancellationToken);
        try
        {
            var reply = await connection.SendAsync(arguments, block + _options.CommandTimeout).WaitAsync(cancellationToken);
            _blocking.Return(connection);
            return reply;
        }
        catch (RedisServerException)
        {
            _blocking.Return(connection);
            throw;
        }
        catch
        {
            // Cancelled mid-block or broken: close it, so the server forgets the blocked read. A new one is opened next time.
            await connection.DisposeAsync();
            throw;
        }
    }

    public async Task<RedisReply> ExecuteTransactionAsync(IReadOnlyList<string[]> commands, CancellationToken cancellationToken = default)
    {
        var batch = new List<string[]>(commands.Count + 2) { Multi };
        batch.AddRange(commands);
        batch.Add(["EXEC"]);
        var connection = await _shared.GetAsync(cancellationToken);
        var replies = connection.SendBatch(batch);
        RedisServerException? queueError = null;
        for (var i = 0; i < replies.Length - 1; i++)
        {
            try
            {
                await replies[i].WaitAsync(cancellationToken);
            }
            catch (RedisServerException ex)
            {
                queueError ??= ex; // EXEC will answer EXECABORT; the first queued error says why
            }
        }

        try
        {
            return await replies[^1].WaitAsync(cancellationToken);
        }
        catch (RedisServerException) when (queueError is not null)
        {
            throw queueError;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _shared.DisposeAsync();
        await _blocking.DisposeAsync();
    }

    private Task<RedisReply> ExecuteSlowAsync(string[] arguments, CancellationToken cancellationToken) =>
        _shared.SendAsync(arguments, cancellationToken);
}
