using System.Collections.Concurrent;
using System.Globalization;
using Correctomatic.Shared.Redis.Connection;

namespace Correctomatic.Shared.Redis;

public sealed partial class RedisClient
{
    /// <summary>
    /// Dedicated connections for blocking commands (issue #3): a blocked XREADGROUP on the shared connection would stall
    /// every command pipelined behind it. Idle ones are kept for reuse.
    /// </summary>
    private sealed class BlockingPool(RedisClient owner) : IAsyncDisposable
    {
        private readonly ConcurrentBag<RedisConnection> _idle = [];
        private int _opened;
        private bool _disposed;

        public async Task<RedisConnection> RentAsync(CancellationToken cancellationToken)
        {
            ObjectDisposedException.ThrowIf(_disposed, typeof(RedisClient));
            while (_idle.TryTake(out var idle))
            {
                if (idle.IsHealthy)
                {
                    return idle;
                }
            }

            var name = owner._options.ClientName + "-blocking-" + Interlocked.Increment(ref _opened).ToString(CultureInfo.InvariantCulture);
            return await owner.OpenWithRetryAsync(name, cancellationToken);
        }

        public void Return(RedisConnection connection)
        {
            if (_disposed || !connection.IsHealthy)
            {
                connection.Close();
                return;
            }

            _idle.Add(connection);
        }

        public async ValueTask DisposeAsync()
        {
            _disposed = true;
            while (_idle.TryTake(out var idle))
            {
                await idle.DisposeAsync();
            }
        }
    }
}
