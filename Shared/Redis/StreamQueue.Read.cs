using StackExchange.Redis;

namespace Correctomatic.Shared.Redis;

public sealed partial class StreamQueue
{
    private IConnectionMultiplexer? _reader;
    private TimeSpan _readerBlock;

    public async Task<IReadOnlyList<StreamEntry>> ReadAsync(int count, TimeSpan block, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        try
        {
            return await ReadOnceAsync(count, block, cancellationToken);
        }
        catch (RedisServerException ex) when (ex.Message.Contains("NOGROUP", StringComparison.Ordinal))
        {
            // The stream or group was deleted (e.g. by an operator): recreate and read again.
            await EnsureGroupAsync(cancellationToken);
            return await ReadOnceAsync(count, block, cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_reader is not null)
        {
            await _reader.DisposeAsync();
            _reader = null;
        }
    }

    /// <summary>
    /// A guarded read (XREADGROUP without BLOCK inside <see cref="StreamScripts.GuardedRead"/>); when it brings nothing, a
    /// wait for a new entry and one more guarded read. The library sends no BLOCK on its shared multiplexer, by design, so
    /// the wait is XREAD BLOCK from the group's last-delivered id on a multiplexer of this queue's own; its reply is only a
    /// wake-up. Cancelling closes that multiplexer, so the server stops blocking for us; XREAD delivers nothing to the
    /// group, so nothing is lost.
    /// </summary>
    private async Task<IReadOnlyList<StreamEntry>> ReadOnceAsync(int count, TimeSpan block, CancellationToken cancellationToken)
    {
        var (entries, last) = await GuardedReadAsync(count, cancellationToken);
        if (entries.Count > 0 || block <= TimeSpan.Zero)
        {
            return entries; // BLOCK 0 would mean "forever" to Redis
        }

        if (_reader is null)
        {
            _readerBlock = block;
            _reader = await redis.ConnectDedicatedAsync("-read", block).WaitAsync(cancellationToken);
        }

        var reader = _reader;
        var blockMs = (long)Math.Max(1, Math.Min(block.TotalMilliseconds, _readerBlock.TotalMilliseconds));
        var wait = reader.GetDatabase().ExecuteAsync("XREAD", "COUNT", 1, "BLOCK", blockMs, "STREAMS", Stream, last);
        try
        {
            if ((await wait.WaitAsync(cancellationToken)).IsNull)
            {
                return [];
            }
        }
        catch (OperationCanceledException)
        {
            _reader = null;
            _ = wait.ContinueWith(static t => t.Exception, TaskScheduler.Default); // observed: its failure is the close below
            await reader.CloseAsync(allowCommandsToComplete: false);
            await reader.DisposeAsync();
            throw;
        }
        catch (Exception ex) when (ex is RedisConnectionException or RedisTimeoutException)
        {
            // Only the wake-up failed. A multiplexer made during a failover can stay without a server, and then every wait
            // fails at once while the shared one works: the next wait gets a fresh one through Sentinel, and this read
            // goes on, so the caller's loop (its reclaim too) is never stuck on a broken doorbell.
            _reader = null;
            RedisLog.ReaderReplaced(_logger, Stream, ex.Message);
            await reader.DisposeAsync();
        }

        return (await GuardedReadAsync(count, cancellationToken)).Entries;
    }

    private async Task<(IReadOnlyList<StreamEntry> Entries, string LastDelivered)> GuardedReadAsync(int count, CancellationToken cancellationToken)
    {
        var args = new { stream = (RedisKey)Stream, dead = (RedisKey)options.DeadStream, group = Group, consumer = Consumer, count, max = options.MaxEntryBytes };
        var reply = (RedisResult[])(await StreamScripts.GuardedRead.EvaluateAsync(Db, args).WaitAsync(cancellationToken))!;
        return (await ParseOrDropAsync(reply, cancellationToken), (string)reply[2]!);
    }

    /// <summary>
    /// The entries of a guarded script's reply <c>{dead count, [[id, [field, value, ...]], ...], ...}</c>; deleted ones (null
    /// fields) are skipped. One whose fields cannot be read as text is dead-lettered by id with the reason (issue #15), so it
    /// neither fails the batch nor comes back to block the entries behind it.
    /// </summary>
    private async Task<List<StreamEntry>> ParseOrDropAsync(RedisResult[] reply, CancellationToken cancellationToken)
    {
        if ((long)reply[0] > 0)
        {
            RedisLog.OversizedDeadLettered(_logger, Stream, (long)reply[0], options.MaxEntryBytes, options.DeadStream);
        }

        var items = (RedisResult[])reply[1]!;
        var entries = new List<StreamEntry>(items.Length);
        foreach (var item in items)
        {
            var id = (string)item[0]!;
            try
            {
                if (item[1].IsNull)
                {
                    continue;
                }

                var pairs = (RedisResult[])item[1]!;
                if (pairs.Length % 2 != 0)
                {
                    throw new FormatException($"{pairs.Length} field names and values, not pairs");
                }

                // A later field of the same name wins, here and in ToEntry.
                var fields = new Dictionary<string, string>(pairs.Length / 2, StringComparer.Ordinal);
                for (var i = 0; i < pairs.Length; i += 2)
                {
                    fields[(string)pairs[i]!] = (string?)pairs[i + 1] ?? "";
                }

                entries.Add(new StreamEntry(id, fields));
            }
            catch (Exception ex) when (ex is InvalidCastException or ArgumentException or FormatException or IndexOutOfRangeException)
            {
                RedisLog.UnreadableEntry(_logger, Stream, id, ex.Message);
                await TryDeadLetterAsync(new StreamEntry(id, new Dictionary<string, string>()), "the entry's fields cannot be read: " + ex.Message, cancellationToken);
            }
        }

        return entries;
    }

    internal static StreamEntry ToEntry(StackExchange.Redis.StreamEntry entry)
    {
        var fields = new Dictionary<string, string>(entry.Values.Length, StringComparer.Ordinal);
        foreach (var pair in entry.Values)
        {
            fields[pair.Name!] = pair.Value.ToString();
        }

        return new StreamEntry(entry.Id!, fields);
    }
}
