using Correctomatic.Shared.Redis.Protocol;

namespace Correctomatic.Shared.Redis;

/// <summary>
/// The narrow Redis interface the rest of the code uses (issue #2: a library can replace ours behind it).
/// Server error replies throw <see cref="RedisServerException"/>; connection failures throw <see cref="RedisConnectionException"/>.
/// </summary>
public interface IRedisClient
{
    RedisEndpoint Endpoint { get; }

    /// <summary>Runs one command on the shared, pipelined connection, e.g. <c>ExecuteAsync(["XLEN", stream], ct)</c>.</summary>
    Task<RedisReply> ExecuteAsync(string[] arguments, CancellationToken cancellationToken = default);

    /// <summary>
    /// Runs a blocking command (XREADGROUP ... BLOCK, BLPOP) on a dedicated connection, waiting up to
    /// <paramref name="block"/> plus the command timeout. Cancelling closes that connection, so the server stops blocking for us.
    /// </summary>
    Task<RedisReply> ExecuteBlockingAsync(string[] arguments, TimeSpan block, CancellationToken cancellationToken = default);

    /// <summary>Runs the commands in MULTI/EXEC, atomically; returns EXEC's array (one reply per command, errors as error replies).</summary>
    Task<RedisReply> ExecuteTransactionAsync(IReadOnlyList<string[]> commands, CancellationToken cancellationToken = default);
}
