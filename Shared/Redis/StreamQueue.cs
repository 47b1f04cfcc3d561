using System.Text.Json;
using Correctomatic.Shared.Contracts;
using Correctomatic.Shared.Redis.Streams;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace Correctomatic.Shared.Redis;

/// <summary>
/// At-least-once consumption of one stream by one consumer of one group (issues #3, #12), over StackExchange.Redis.
/// The job's life in Redis:
/// <list type="number">
/// <item><b>read</b> (XREADGROUP &gt;, on a dedicated connection): the entry is now pending for this consumer — hidden
///   from the others, not removed. If the process dies from here on, a live consumer reclaims it after min-idle.</item>
/// <item><b>hand off</b> (one script: XADD next + XACK): both or neither happen; if we die before, the entry is reclaimed
///   and handed off by someone else; if we die after, it is done. Only the consumer that owns the entry can hand it off.
///   A run whose reply was lost is run again; the script's marker turns the second run into "already done".</item>
/// <item><b>reclaim</b> (XAUTOCLAIM): entries idle longer than min-idle move to this consumer; their delivery count grows.</item>
/// <item><b>dead-letter</b>: after <see cref="StreamQueueOptions.MaxDeliveries"/> deliveries, or when the stage says so,
///   the entry goes to the dead stream with its original fields and a reason, atomically with its XACK.</item>
/// </list>
/// Entries are never XDEL'ed (other groups may still need them); <see cref="TrimAsync"/> bounds the stream safely.
/// </summary>
public sealed partial class StreamQueue : IStreamQueue, IAsyncDisposable
{
    /// <summary>Runs of a script whose outcome was unknown; each waits up to the command timeout for the connection to return.</summary>
    private const int ScriptAttempts = 3;

    private static readonly TimeSpan s_markerLifetime = TimeSpan.FromMinutes(10);
    private readonly RedisConnections _redis;
    private readonly StreamQueueOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private RedisValue _reclaimCursor = "0-0";
    private long _lastTrimTimestamp;
    private bool _trimmedOnce;

    public StreamQueue(RedisConnections redis, StreamQueueOptions options, TimeProvider? timeProvider = null, ILogger<StreamQueue>? logger = null)
    {
        _redis = redis;
        _options = options;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    public string Stream => _options.Stream;
    public string Group => _options.Group;
    public string Consumer => _options.Consumer;
    public StreamQueueOptions Options => _options;
    private IDatabase Db => _redis.Database;

    public async Task EnsureGroupAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await Db.StreamCreateConsumerGroupAsync(Stream, Group, _options.GroupStartId, createStream: true).WaitAsync(cancellationToken);
            RedisLog.GroupCreated(_logger, Stream, Group);
        }
        catch (RedisServerException ex) when (ex.Message.StartsWith("BUSYGROUP", StringComparison.Ordinal))
        {
            // Already there: another process (or an earlier run) created it.
        }
    }

    /// <summary>
    /// Hands the entry off (see <see cref="IStreamQueue.TryHandOffAsync"/>); null when the entry is no longer ours (another
    /// consumer reclaimed it because we were slower than min-idle without <see cref="RenewOwnedAsync"/>). Then nothing happened.
    /// With REDIS_WAIT_REPLICAS set, returns only once that many replicas have the hand-off (else throws <see cref="TimeoutException"/>:
    /// the caller must not take an irreversible step; running this again is safe).
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

        var args = new StreamScripts.HandOffArgs(Stream, nextStream, $"{Stream}:handoff:{entryId}", Group, entryId, Consumer,
            JsonSerializer.Serialize(flat), (long)s_markerLifetime.TotalMilliseconds);
        var durable = _redis.Options.WaitReplicas > 0 ? await _redis.DurableAsync().WaitAsync(cancellationToken) : null;
        var multiplexer = durable ?? _redis.Shared;
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

        if (durable is not null)
        {
            await WaitForReplicasAsync(db, entryId, cancellationToken);
        }

        return newId;
    }

    /// <summary>Dead-letters the entry if it is still ours; null (and nothing done) if another consumer took it over.</summary>
    public async Task<string?> TryDeadLetterAsync(StreamEntry entry, string reason, CancellationToken cancellationToken = default)
    {
        var fields = new List<KeyValuePair<string, string>>(entry.Fields.Count + 3);
        fields.AddRange(entry.Fields.Where(f => f.Key is not (StreamFields.Reason or StreamFields.Source or StreamFields.SourceId)));
        fields.Add(new(StreamFields.Reason, reason));
        fields.Add(new(StreamFields.Source, Stream));
        fields.Add(new(StreamFields.SourceId, entry.Id));
        var deadId = await TryHandOffAsync(entry.Id, _options.DeadStream, fields, cancellationToken);
        if (deadId is not null)
        {
            RedisLog.DeadLettered(_logger, Stream, entry.Id, deadId, reason);
        }

        return deadId;
    }

    public async Task AcknowledgeAsync(string entryId, CancellationToken cancellationToken = default) =>
        await RunAgainIfUnknownAsync(() => Db.StreamAcknowledgeAsync(Stream, Group, entryId), _redis.Shared, cancellationToken);

    /// <summary>
    /// XCLAIM to self with min-idle 0 and JUSTID (resets idle time, not the delivery count) for the ids still pending for
    /// this consumer; returns those. An id missing from the result was taken over by another consumer: stop working on it.
    /// </summary>
    public async Task<IReadOnlyList<string>> RenewOwnedAsync(IReadOnlyCollection<string> entryIds, CancellationToken cancellationToken = default)
    {
        if (entryIds.Count == 0)
        {
            return [];
        }

        var args = new StreamScripts.RenewArgs(Stream, Group, Consumer, JsonSerializer.Serialize(entryIds));
        var reply = await RunAgainIfUnknownAsync(() => StreamScripts.Renew.EvaluateAsync(Db, args), _redis.Shared, cancellationToken);
        return ((RedisResult[])reply!).Select(r => (string)r!).ToList();
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
    /// Runs an idempotent step again when its outcome is unknown (the connection broke after sending, or no reply in
    /// time); the library holds the retry in its backlog until it reconnects. Only steps safe to repeat come here.
    /// READONLY (after a failover the library may go on writing to the demoted primary, issue #12) wrote nothing, as a
    /// script fails at its first write on a replica: the multiplexer asks the servers their roles again, then it runs again.
    /// </summary>
    private async Task<T> RunAgainIfUnknownAsync<T>(Func<Task<T>> step, IConnectionMultiplexer multiplexer, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await step().WaitAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is RedisConnectionException or RedisTimeoutException && attempt < ScriptAttempts)
            {
                RedisLog.OutcomeUnknown(_logger, Stream, attempt, ex.Message);
            }
            catch (RedisServerException ex) when (ex.Message.StartsWith("READONLY", StringComparison.Ordinal) && attempt < ScriptAttempts)
            {
                RedisLog.OutcomeUnknown(_logger, Stream, attempt, ex.Message);
                await multiplexer.ConfigureAsync().WaitAsync(cancellationToken);
            }
        }
    }

    private async Task WaitForReplicasAsync(IDatabase db, string entryId, CancellationToken cancellationToken)
    {
        var wanted = _redis.Options.WaitReplicas;
        // On the primary, the connection that ran the hand-off (the library would send an unknown command to any server).
        var reached = (long)await db.ExecuteAsync("WAIT", [wanted, (long)_redis.Options.WaitTimeout.TotalMilliseconds], CommandFlags.DemandMaster)
            .WaitAsync(cancellationToken);
        if (reached < wanted)
        {
            throw new TimeoutException(
                $"hand-off of {entryId} of {Stream} reached {reached} of {wanted} replicas within {_redis.Options.WaitTimeout} (REDIS_WAIT_REPLICAS); retry it before any irreversible step");
        }
    }
}
