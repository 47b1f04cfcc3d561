using Correctomatic.Shared.Redis.Connection;
using Correctomatic.Shared.Redis.Protocol;
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
            _ = connection.Failed.ContinueWith(t =>
                {
                    if (!connection.ClosedLocally)
                    {
                        RedisLog.ConnectionLost(_logger, _options.Endpoint.ToString(), name, t.Result.Message);
                    }
                },
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

    /// <summary>
    /// The shared connection, replaced when it fails. Commands issued while there is no healthy connection wait in a
    /// backlog, in order, and are written in that order once it is back — so one task's SET then GET never swap — or fail
    /// together when reconnecting gives up. The new connection is published only after the backlog is written.
    /// </summary>
    private sealed class Reconnector(RedisClient owner, string name) : IAsyncDisposable
    {
        private readonly object _lock = new();
        private readonly Queue<(string[] Arguments, PendingReply Pending)> _backlog = new();
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

                connecting = EnsureConnecting();
            }

            return connecting.WaitAsync(cancellationToken);
        }

        public Task<RedisReply> SendAsync(string[] arguments, CancellationToken cancellationToken)
        {
            PendingReply pending;
            lock (_lock)
            {
                ObjectDisposedException.ThrowIf(_disposed, typeof(RedisClient));
                if (_current is { IsHealthy: true } current)
                {
                    var reply = current.SendAsync(arguments);
                    return cancellationToken.CanBeCanceled ? reply.WaitAsync(cancellationToken) : reply;
                }

                pending = new PendingReply(arguments[0], owner._options.CommandTimeout);
                _backlog.Enqueue((arguments, pending));
                EnsureConnecting();
            }

            if (cancellationToken.CanBeCanceled)
            {
                // Still in the backlog: a cancelled command is then never sent. Once sent, only the wait is abandoned.
                var registration = cancellationToken.Register(static p => ((PendingReply)p!).TrySetCanceled(), pending);
                _ = pending.Task.ContinueWith(static (_, r) => ((CancellationTokenRegistration)r!).Dispose(), registration,
                    CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }

            return pending.Task;
        }

        public async ValueTask DisposeAsync()
        {
            RedisConnection? current;
            lock (_lock)
            {
                _disposed = true;
                current = _current;
                FailBacklog(new ObjectDisposedException(nameof(RedisClient)));
            }

            if (current is not null)
            {
                await current.DisposeAsync();
            }
        }

        private Task<RedisConnection> EnsureConnecting()
        {
            if (_connecting is null || _connecting.IsCompleted)
            {
                _connecting = ConnectAsync();
            }

            return _connecting;
        }

        private async Task<RedisConnection> ConnectAsync()
        {
            RedisConnection connection;
            try
            {
                connection = await owner.OpenWithRetryAsync(name, CancellationToken.None);
            }
            catch (Exception ex)
            {
                lock (_lock)
                {
                    FailBacklog(ex);
                }

                throw;
            }

            lock (_lock)
            {
                if (_disposed)
                {
                    connection.Close();
                    throw new ObjectDisposedException(nameof(RedisClient));
                }

                while (_backlog.TryDequeue(out var queued))
                {
                    if (!queued.Pending.Task.IsCompleted)
                    {
                        connection.Send(queued.Arguments, queued.Pending);
                    }
                }

                Volatile.Write(ref _current, connection);
            }

            return connection;
        }

        private void FailBacklog(Exception reason)
        {
            while (_backlog.TryDequeue(out var queued))
            {
                queued.Pending.TrySetException(reason);
            }
        }
    }
}
