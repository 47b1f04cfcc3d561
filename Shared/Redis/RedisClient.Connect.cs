using Correctomatic.Shared.Redis.Connection;
using Polly;
using Polly.Retry;

namespace Correctomatic.Shared.Redis;

public sealed partial class RedisClient
{
    private ResiliencePipeline? _retry;

    /// <summary>
    /// Retries only the connection attempt, never a command (a command's outcome is unknown once its connection broke,
    /// and XADD is not idempotent). Exponential backoff with jitter, within <see cref="RedisClientOptions.ReconnectTimeout"/>.
    /// </summary>
    private ResiliencePipeline Retry => _retry ??= new ResiliencePipelineBuilder { TimeProvider = _timeProvider }
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<RedisConnectionException>(e => e.IsTransient),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromMilliseconds(50),
            MaxDelay = TimeSpan.FromSeconds(2),
            MaxRetryAttempts = int.MaxValue,
            OnRetry = args =>
            {
                RedisLog.Reconnecting(_logger, _options.Endpoint.ToString(), args.AttemptNumber + 1, args.RetryDelay, args.Outcome.Exception?.Message ?? "");
                return ValueTask.CompletedTask;
            },
        })
        .Build();

    private async Task<RedisConnection> OpenWithRetryAsync(string name, CancellationToken cancellationToken)
    {
        var budget = _options.ReconnectTimeout > _options.ConnectTimeout ? _options.ReconnectTimeout : _options.ConnectTimeout;
        using var timeout = new CancellationTokenSource(budget, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        Exception? last = null;
        try
        {
            var connection = await Retry.ExecuteAsync(async ct =>
            {
                try
                {
                    return await RedisConnection.OpenAsync(_options, name, _timeProvider, ct);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    last = ex;
                    throw;
                }
            }, linked.Token);
            RedisLog.Connected(_logger, _options.Endpoint.ToString(), name);
            _ = connection.Failed.ContinueWith(t => RedisLog.ConnectionLost(_logger, _options.Endpoint.ToString(), name, t.Result.Message),
                CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            return connection;
        }
        catch (OperationCanceledException ex) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new RedisConnectionException(
                $"could not connect to {_options.Endpoint} within {budget.TotalSeconds:0.###} s (REDIS_RECONNECT_TIMEOUT): {last?.Message ?? "timed out"}",
                last ?? ex);
        }
    }

    /// <summary>The shared connection: replaced when it fails; callers arriving meanwhile share one reconnection attempt.</summary>
    private sealed class Reconnector(RedisClient owner, string name) : IAsyncDisposable
    {
        private readonly object _lock = new();
        private RedisConnection? _current;
        private Task<RedisConnection>? _connecting;
        private bool _disposed;

        public RedisConnection? Current => Volatile.Read(ref _current);

        public Task<RedisConnection> GetAsync(CancellationToken cancellationToken)
        {
            Task<RedisConnection> connecting;
            lock (_lock)
            {
                ObjectDisposedException.ThrowIf(_disposed, typeof(RedisClient));
                if (_current is { IsHealthy: true } current)
                {
                    return Task.FromResult(current);
                }

                if (_connecting is null || _connecting.IsCompleted)
                {
                    _connecting = ConnectAsync();
                }

                connecting = _connecting;
            }

            return connecting.WaitAsync(cancellationToken);
        }

        public async ValueTask DisposeAsync()
        {
            RedisConnection? current;
            lock (_lock)
            {
                _disposed = true;
                current = _current;
            }

            if (current is not null)
            {
                await current.DisposeAsync();
            }
        }

        private async Task<RedisConnection> ConnectAsync()
        {
            var connection = await owner.OpenWithRetryAsync(name, CancellationToken.None);
            lock (_lock)
            {
                if (_disposed)
                {
                    connection.Fail(new ObjectDisposedException(nameof(RedisClient)));
                    throw new ObjectDisposedException(nameof(RedisClient));
                }

                Volatile.Write(ref _current, connection);
            }

            return connection;
        }
    }
}
