using System.Buffers;
using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Threading.Channels;
using Correctomatic.Shared.Redis.Protocol;

namespace Correctomatic.Shared.Redis.Connection;

/// <summary>
/// One physical connection. Any number of tasks may send at once: commands are serialised into one buffer in the order
/// their replies are expected, one write loop flushes whatever has accumulated (natural pipelining), one read loop
/// matches replies to commands in order. When anything breaks — the socket, a protocol violation, a reply overdue by
/// its timeout — the connection fails as a whole and every in-flight command fails at once with
/// <see cref="RedisConnectionException"/> (issue #3: no task waits forever).
/// </summary>
internal sealed partial class RedisConnection : IAsyncDisposable
{
    private readonly object _writeLock = new();
    private readonly ConcurrentQueue<PendingReply> _inFlight = new();
    private readonly Channel<bool> _writeSignal = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly RedisClientOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly Socket _socket;
    private readonly Stream _stream;
    private readonly RespReader _reader;
    private readonly TaskCompletionSource<Exception> _failed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ITimer _watchdog;
    private ArrayBufferWriter<byte> _outgoing = new(16 * 1024);
    private ArrayBufferWriter<byte> _flushing = new(16 * 1024);
    private Exception? _failure;

    private RedisConnection(RedisClientOptions options, TimeProvider timeProvider, Socket socket, Stream stream, string name)
    {
        _options = options;
        _timeProvider = timeProvider;
        _socket = socket;
        _stream = stream;
        Name = name;
        _reader = new RespReader(options.MaxBulkBytes);
        var period = options.CommandTimeout / 4 < TimeSpan.FromMilliseconds(50) ? TimeSpan.FromMilliseconds(50) : options.CommandTimeout / 4;
        _watchdog = timeProvider.CreateTimer(_ => CheckOverdue(), null, period, period);
        _ = Task.Run(ReadLoopAsync);
        _ = Task.Run(WriteLoopAsync);
    }

    public string Name { get; }

    public bool IsHealthy => Volatile.Read(ref _failure) is null;

    /// <summary>Completes with the reason once the connection has failed or was closed.</summary>
    public Task<Exception> Failed => _failed.Task;

    /// <summary>Sends one command; the task completes with its reply, or fails.</summary>
    public Task<RedisReply> SendAsync(string[] arguments, TimeSpan? timeout = null)
    {
        var pending = new PendingReply(arguments[0], timeout ?? _options.CommandTimeout);
        Send(arguments, pending);
        return pending.Task;
    }

    /// <summary>Sends one command whose reply goes to <paramref name="pending"/> (e.g. one queued while reconnecting).</summary>
    public void Send(string[] arguments, PendingReply pending)
    {
        lock (_writeLock)
        {
            if (_failure is not null)
            {
                pending.TrySetException(Lost(_failure));
                return;
            }

            RespWriter.WriteCommand(_outgoing, arguments);
            pending.SentTimestamp = _timeProvider.GetTimestamp();
            _inFlight.Enqueue(pending);
        }

        _writeSignal.Writer.TryWrite(true);
    }

    /// <summary>Sends several commands back to back, nothing from other tasks in between (MULTI ... EXEC).</summary>
    public Task<RedisReply>[] SendBatch(IReadOnlyList<string[]> commands)
    {
        var tasks = new Task<RedisReply>[commands.Count];
        lock (_writeLock)
        {
            if (_failure is not null)
            {
                Array.Fill(tasks, Task.FromException<RedisReply>(Lost(_failure)));
                return tasks;
            }

            var now = _timeProvider.GetTimestamp();
            for (var i = 0; i < commands.Count; i++)
            {
                RespWriter.WriteCommand(_outgoing, commands[i]);
                var pending = new PendingReply(commands[i][0], _options.CommandTimeout) { SentTimestamp = now };
                _inFlight.Enqueue(pending);
                tasks[i] = pending.Task;
            }
        }

        _writeSignal.Writer.TryWrite(true);
        return tasks;
    }

    /// <summary>Closes the connection; in-flight commands fail with <paramref name="reason"/>.</summary>
    public void Fail(Exception reason)
    {
        lock (_writeLock)
        {
            if (_failure is not null)
            {
                return;
            }

            Volatile.Write(ref _failure, reason);
        }

        _watchdog.Dispose();
        _writeSignal.Writer.TryComplete();
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // Already broken: that is why we are here.
        }
        catch (ObjectDisposedException)
        {
        }

        _socket.Dispose();
        var lost = Lost(reason);
        while (_inFlight.TryDequeue(out var pending))
        {
            pending.TrySetException(lost);
        }

        _failed.TrySetResult(reason);
    }

    /// <summary>True when this process closed the connection (disposed, cancelled blocking read): nothing to warn about.</summary>
    public bool ClosedLocally { get; private set; }

    /// <summary>Closes the connection from this side; in-flight commands fail.</summary>
    public void Close()
    {
        ClosedLocally = _failure is null;
        Fail(new RedisConnectionException($"connection {Name} to {_options.Endpoint} was closed by this process", null, isTransient: false));
    }

    public ValueTask DisposeAsync()
    {
        Close();
        return ValueTask.CompletedTask;
    }

    private RedisConnectionException Lost(Exception reason) => reason as RedisConnectionException
        ?? new RedisConnectionException($"connection {Name} to {_options.Endpoint} lost ({reason.GetType().Name}: {reason.Message}); "
                                        + "commands in flight have an unknown outcome", reason);

    private async Task WriteLoopAsync()
    {
        try
        {
            while (await _writeSignal.Reader.WaitToReadAsync())
            {
                _writeSignal.Reader.TryRead(out _);
                lock (_writeLock)
                {
                    (_outgoing, _flushing) = (_flushing, _outgoing);
                }

                if (_flushing.WrittenCount == 0)
                {
                    continue;
                }

                await _stream.WriteAsync(_flushing.WrittenMemory);
                await _stream.FlushAsync();
                if (_flushing.Capacity > 1024 * 1024)
                {
                    _flushing = new ArrayBufferWriter<byte>(16 * 1024); // do not keep a huge buffer after one big command
                }
                else
                {
                    _flushing.ResetWrittenCount();
                }
            }
        }
        catch (Exception ex)
        {
            // Whatever it is, the connection cannot go on; failing it fails every waiting command (no silent hang).
            Fail(ex);
        }
    }

    private async Task ReadLoopAsync()
    {
        try
        {
            while (true)
            {
                var read = await _stream.ReadAsync(_reader.GetWriteMemory());
                if (read == 0)
                {
                    throw new RedisConnectionException($"{_options.Endpoint} closed connection {Name}; commands in flight have an unknown outcome");
                }

                _reader.Advance(read);
                while (_reader.TryRead(out var reply))
                {
                    if (!_inFlight.TryDequeue(out var pending))
                    {
                        throw new RedisProtocolException($"received a reply ({Truncate(reply)}) with no command waiting for it");
                    }

                    pending.Complete(reply);
                }
            }
        }
        catch (RedisProtocolException ex)
        {
            Fail(new RedisConnectionException($"protocol violation from {_options.Endpoint} on connection {Name}: {ex.Message}; connection closed", ex, isTransient: true));
        }
        catch (Exception ex)
        {
            Fail(ex);
        }
    }

    /// <summary>Replies come in order, so if the oldest command is overdue the server (or the network) is not answering.</summary>
    private void CheckOverdue()
    {
        if (_inFlight.TryPeek(out var oldest) && _timeProvider.GetElapsedTime(oldest.SentTimestamp) > oldest.Timeout)
        {
            Fail(new RedisConnectionException(
                $"{_options.Endpoint} did not answer {oldest.Command} within {oldest.Timeout.TotalSeconds:0.###} s (REDIS_COMMAND_TIMEOUT); connection {Name} closed"));
        }
    }

    private static string Truncate(RedisReply reply)
    {
        var text = reply.ToString();
        return text.Length > 60 ? text[..60] + "…" : text;
    }
}
