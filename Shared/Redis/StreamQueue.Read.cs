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
        catch (RedisServerException ex) when (ex.Message.StartsWith("NOGROUP", StringComparison.Ordinal))
        {
            // The stream or group was deleted (e.g. by an operator): recreate and read again.
            await EnsureGroupAsync(cancellationToken);
            return await ReadOnceAsync(count, block, cancellationToken);
        }
    }

    /// <summary>
    /// The library sends no BLOCK on its shared multiplexer, by design; a blocking XREADGROUP goes through ExecuteAsync on
    /// this queue's own multiplexer, whose timeout is the command timeout plus the BLOCK of its first read (later reads
    /// block at most that long). Cancelling closes that multiplexer, so the server stops blocking for us at once; an entry
    /// delivered in that instant stays pending for this consumer and is reclaimed after min-idle (never lost).
    /// </summary>
    private async Task<IReadOnlyList<StreamEntry>> ReadOnceAsync(int count, TimeSpan block, CancellationToken cancellationToken)
    {
        if (block <= TimeSpan.Zero)
        {
            // BLOCK 0 would mean "forever" to Redis; no BLOCK means "return at once".
            var entries = await Db.StreamReadGroupAsync(Stream, Group, Consumer, StreamPosition.NewMessages, count).WaitAsync(cancellationToken);
            return entries.Where(e => !e.IsNull).Select(ToEntry).ToList();
        }

        if (_reader is null)
        {
            _readerBlock = block;
            _reader = await _redis.ConnectDedicatedAsync("-read", block).WaitAsync(cancellationToken);
        }

        var reader = _reader;
        var blockMs = (long)Math.Max(1, Math.Min(block.TotalMilliseconds, _readerBlock.TotalMilliseconds));
        var read = reader.GetDatabase().ExecuteAsync("XREADGROUP", "GROUP", Group, Consumer, "COUNT", count, "BLOCK", blockMs, "STREAMS", Stream, ">");
        try
        {
            return Entries(await read.WaitAsync(cancellationToken));
        }
        catch (OperationCanceledException)
        {
            _reader = null;
            _ = read.ContinueWith(static t => t.Exception, TaskScheduler.Default); // observed: its failure is the close below
            await reader.CloseAsync(allowCommandsToComplete: false);
            await reader.DisposeAsync();
            throw;
        }
    }

    /// <summary>RESP2 XREADGROUP reply: null on timeout, else <c>[[stream, [[id, [field, value, ...]], ...]]]</c>; deleted entries (null fields) are skipped.</summary>
    private static List<StreamEntry> Entries(RedisResult reply)
    {
        var all = new List<StreamEntry>();
        if (reply.IsNull)
        {
            return all;
        }

        foreach (var stream in (RedisResult[])reply!)
        {
            foreach (var item in (RedisResult[])stream[1]!)
            {
                if (item[1].IsNull)
                {
                    continue;
                }

                var pairs = (RedisResult[])item[1]!;
                var fields = new Dictionary<string, string>(pairs.Length / 2, StringComparer.Ordinal);
                for (var i = 0; i + 1 < pairs.Length; i += 2)
                {
                    fields[(string)pairs[i]!] = (string?)pairs[i + 1] ?? "";
                }

                all.Add(new StreamEntry((string)item[0]!, fields));
            }
        }

        return all;
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
