using Correctomatic.Shared.Redis.Streams;
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

    /// <summary>
    /// One guarded read (<see cref="StreamScripts.GuardedRead"/>: XREADGROUP without BLOCK, oversized entries dead-lettered
    /// inside the script). When it brings nothing, wait for a new entry and read once more. The library sends no BLOCK on
    /// its shared multiplexer, by design; the wait is an XREAD BLOCK from the group's last-delivered id on this queue's own
    /// multiplexer (its reply is only a wake-up, discarded: the entry is then read through the guard). Cancelling closes
    /// that multiplexer, so the server stops blocking for us at once; XREAD delivers nothing to the group, so nothing is lost.
    /// </summary>
    private async Task<IReadOnlyList<StreamEntry>> ReadOnceAsync(int count, TimeSpan block, CancellationToken cancellationToken)
    {
        var (entries, last) = await GuardedReadAsync(count, cancellationToken);
        if (entries.Count > 0 || block <= TimeSpan.Zero)
        {
            return entries; // BLOCK 0 would mean "forever" to Redis; no block means "return at once"
        }

        if (_reader is null)
        {
            _readerBlock = block;
            _reader = await _redis.ConnectDedicatedAsync("-read", block).WaitAsync(cancellationToken);
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

        return (await GuardedReadAsync(count, cancellationToken)).Entries;
    }

    private async Task<(IReadOnlyList<StreamEntry> Entries, string LastDelivered)> GuardedReadAsync(int count, CancellationToken cancellationToken)
    {
        var args = new StreamScripts.GuardedReadArgs(Stream, _options.DeadStream, Group, Consumer, count, _options.MaxEntryBytes);
        var reply = (RedisResult[])(await StreamScripts.GuardedRead.EvaluateAsync(Db, args).WaitAsync(cancellationToken))!;
        ReportOversized((long)reply[0]);
        return (await ParseOrDropAsync((RedisResult[])reply[1]!, cancellationToken), (string)reply[2]!);
    }

    private void ReportOversized(long dead)
    {
        if (dead > 0)
        {
            RedisLog.OversizedDeadLettered(_logger, Stream, dead, _options.MaxEntryBytes, _options.DeadStream);
        }
    }

    /// <summary>
    /// Entries as a script returns them (<c>[[id, [field, value, ...]], ...]</c>; deleted ones, with null fields, skipped).
    /// One whose fields cannot be read as text is dead-lettered by id with the reason (owner-checked, like any dead-letter),
    /// so it never fails the whole batch and never comes back to block the entries behind it.
    /// </summary>
    private async Task<List<StreamEntry>> ParseOrDropAsync(RedisResult[] items, CancellationToken cancellationToken)
    {
        var all = new List<StreamEntry>(items.Length);
        foreach (var item in items)
        {
            var id = (string)item[0]!;
            if (item[1].IsNull)
            {
                continue;
            }

            try
            {
                all.Add(new StreamEntry(id, Fields((RedisResult[])item[1]!)));
            }
            catch (Exception ex) when (ex is InvalidCastException or ArgumentException or FormatException or IndexOutOfRangeException)
            {
                RedisLog.UnreadableEntry(_logger, Stream, id, ex.Message);
                await TryDeadLetterAsync(new StreamEntry(id, new Dictionary<string, string>()), "the entry's fields cannot be read: " + ex.Message, cancellationToken);
            }
        }

        return all;
    }

    private static Dictionary<string, string> Fields(RedisResult[] pairs)
    {
        if (pairs.Length % 2 != 0)
        {
            throw new FormatException($"{pairs.Length} field names and values, not pairs");
        }

        var fields = new Dictionary<string, string>(pairs.Length / 2, StringComparer.Ordinal);
        for (var i = 0; i + 1 < pairs.Length; i += 2)
        {
            fields[(string)pairs[i]!] = (string?)pairs[i + 1] ?? "";
        }

        return fields;
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
