using Correctomatic.Shared.Redis.Protocol;

namespace Correctomatic.Shared.Redis.Connection;

/// <summary>A command written to the connection and waiting for its reply (replies arrive in order).</summary>
internal sealed class PendingReply(string command, long sentTimestamp, TimeSpan timeout)
    : TaskCompletionSource<RedisReply>(TaskCreationOptions.RunContinuationsAsynchronously)
{
    public string Command => command;

    public long SentTimestamp => sentTimestamp;

    public TimeSpan Timeout => timeout;

    /// <summary>Error replies become <see cref="RedisServerException"/>; a caller that gave up (cancelled) is ignored.</summary>
    public void Complete(RedisReply reply)
    {
        if (reply.IsError)
        {
            TrySetException(new RedisServerException(reply.AsString()!, command));
        }
        else
        {
            TrySetResult(reply);
        }
    }
}
