using System.Text.Json;
using Correctomatic.Shared.Contracts;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace Correctomatic.Shared.Redis;

/// <summary>
/// <see cref="IStreamQueue"/> over StackExchange.Redis (issues #3, #12). The job's life in Redis:
/// <list type="number">
/// <item><b>read</b> (XREADGROUP &gt;): the entry is pending for this consumer. If the process dies from here on, a live
///   consumer reclaims it after min-idle.</item>
/// <item><b>hand off</b> (one script: XADD next + XACK, owner-checked): both or neither happen. Die before it and the entry
///   is reclaimed and handed off by someone else; die after it and it is done. A run whose reply was lost is run again, and
///   the script's marker turns that run into "already done".</item>
/// <item><b>reclaim</b> (XAUTOCLAIM): entries idle longer than min-idle move to this consumer; their delivery count grows.</item>
/// <item><b>dead-letter</b>: after <see cref="StreamQueueOptions.MaxDeliveries"/> deliveries, or when the stage says so, a
///   hand-off to the dead stream with the original fields and a reason.</item>
/// </list>
/// Entries are never XDEL'ed (other groups may still need them); <see cref="TrimAsync"/> bounds the stream.
/// </summary>
public sealed partial class StreamQueue(RedisConnections redis, StreamQueueOptions options, TimeProvider? timeProvider = null,
    ILogger<StreamQueue>? logger = null) : IStreamQueue, IAsyncDisposable
{
    /// <summary>Runs of a step whose outcome is unknown; each waits up to the command timeout for the connection.</summary>
    private const int Attempts = 3;

    /// <summary>How long a hand-off's marker lives: longer than any run again.</summary>
    private const long MarkerMs = 600_000;

    private readonly TimeProvider _timeProvider = timeProvider ?? TimeProvider.System;
    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;

    public string Stream => options.Stream;
    public string Group => options.Group;
    public string Consumer => options.Consumer;
    private IDatabase Db => redis.Database;

    public async Task EnsureGroupAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            // From 0, so entries added before the first consumer started are not missed.
            await Db.StreamCreateConsumerGroupAsync(Stream, Group, "0", createStream: true).WaitAsync(cancellationToken);
            RedisLog.GroupCreated(_logger, Stream, Group);
        }
        catch (RedisServerException ex) when (ex.Message.StartsWith("BUSYGROUP", StringComparison.Ordinal))
        {
            // Another process (or an earlier run) created it.
        }
    }

    /// <summary>
    /// With REDIS_WAIT_REPLICAS set, returns only once that many replicas have the hand-off, else throws
    /// <see cref="TimeoutException"/>: the caller must not take its irreversible step, and may run this again.
    /// </summary>
    public async Task<string?> TryHandOffAsync(string entryId, string nextStream, IReadOnlyList<KeyValuePair<string, string>> fields,
        CancellationToken cancellationToken = default)
    {
        if (fields.Count == 0)
        {
            throw new ArgumentException("an entry needs at least one field", nameof(fields));
        }

        var flat = new string[2 * fields.Count];
        for (var i = 0; i < fields.Count; i++)
        {
            (flat[2 * i], flat[(2 * i) + 1]) = (fields[i].Key, fields[i].Value);
        }

        var args = new
        {
            stream = (RedisKey)Stream, next = (RedisKey)nextStream, marker = (RedisKey)$"{Stream}:handoff:{entryId}", group = Group, id = entryId,
            consumer = Consumer, fields = JsonSerializer.Serialize(flat), markerMs = MarkerMs,
        };
        // WAIT counts the writes of its own connection, so a hand-off to be waited for runs on the dedicated one.
        var multiplexer = redis.Options.WaitReplicas > 0 ? await redis.DurableAsync().WaitAsync(cancellationToken) : redis.Shared;
        var db = multiplexer.GetDatabase();
        var reply = (RedisResult[])(await RunAgainIfUnknownAsync(() => StreamScripts.HandOff.EvaluateAsync(db, args), multiplexer, cancellationToken))!;
        if ((int)reply[0] == 0)
        {
            RedisLog.NotOwned(_logger, Stream, entryId, Consumer);
            return null;
        }

        var newId = (string)reply[1]!;
        if ((int)reply[0] == 1)
        {
            RedisLog.AlreadyHandedOff(_logger, Stream, entryId, newId);
        }

        if (redis.Options.WaitReplicas > 0)
        {
            await WaitForReplicasAsync(db, entryId, cancellationToken);
        }

        return newId;
    }

    public async Task<string?> TryDeadLetterAsync(StreamEntry entry, string reason, CancellationToken cancellationToken = default)
    {
        var fields = entry.Fields.Where(f => f.Key is not (StreamFields.Reason or StreamFields.Source or StreamFields.SourceId))
            .Append(new(StreamFields.Reason, reason)).Append(new(StreamFields.Source, Stream)).Append(new(StreamFields.SourceId, entry.Id)).ToList();
        var deadId = await TryHandOffAsync(entry.Id, options.DeadStream, fields, cancellationToken);
        if (deadId is not null)
        {
            RedisLog.DeadLettered(_logger, Stream, entry.Id, deadId, reason);
        }

        return deadId;
    }

    public async Task AcknowledgeAsync(string entryId, CancellationToken cancellationToken = default) =>
        await RunAgainIfUnknownAsync(() => Db.StreamAcknowledgeAsync(Stream, Group, entryId), redis.Shared, cancellationToken);

    /// <summary>XCLAIM to self, min-idle 0, JUSTID (resets the idle time, not the delivery count), for the ids still ours.</summary>
    public async Task<IReadOnlyList<string>> RenewOwnedAsync(IReadOnlyCollection<string> entryIds, CancellationToken cancellationToken = default)
    {
        if (entryIds.Count == 0)
        {
            return [];
        }

        var args = new { stream = (RedisKey)Stream, group = Group, consumer = Consumer, ids = JsonSerializer.Serialize(entryIds) };
        var reply = await RunAgainIfUnknownAsync(() => StreamScripts.Renew.EvaluateAsync(Db, args), redis.Shared, cancellationToken);
        return [.. ((RedisResult[])reply!).Select(r => (string)r!)];
    }

    /// <summary>
    /// Runs a step that is safe to repeat again when its outcome is unknown (connection lost after sending, or no reply in
    /// time; the library holds the retry in its backlog until it reconnects). READONLY wrote nothing (a script fails at its
    /// first write on a replica; after a failover the library may still write to the demoted primary, issue #12): the
    /// multiplexer asks the servers their roles again first.
    /// </summary>
    private async Task<T> RunAgainIfUnknownAsync<T>(Func<Task<T>> step, IConnectionMultiplexer multiplexer, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await step().WaitAsync(cancellationToken);
            }
            catch (Exception ex) when (attempt < Attempts && (ex is RedisConnectionException or RedisTimeoutException
                || (ex is RedisServerException && ex.Message.StartsWith("READONLY", StringComparison.Ordinal))))
            {
                RedisLog.OutcomeUnknown(_logger, Stream, attempt, ex.Message);
                if (ex is RedisServerException)
                {
                    await multiplexer.ConfigureAsync().WaitAsync(cancellationToken);
                }
            }
        }
    }

    private async Task WaitForReplicasAsync(IDatabase db, string entryId, CancellationToken cancellationToken)
    {
        var (wanted, timeout) = (redis.Options.WaitReplicas, redis.Options.WaitTimeout);
        // DemandMaster: the library would send a command it does not know to any server.
        var reached = (long)await db.ExecuteAsync("WAIT", [wanted, (long)timeout.TotalMilliseconds], CommandFlags.DemandMaster).WaitAsync(cancellationToken);
        if (reached < wanted)
        {
            throw new TimeoutException(
                $"hand-off of {entryId} of {Stream} reached {reached} of {wanted} replicas within {timeout} (REDIS_WAIT_REPLICAS); retry it before any irreversible step");
        }
    }
}
