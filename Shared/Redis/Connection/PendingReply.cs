using Correctomatic.Shared.Redis.Protocol;

namespace Correctomatic.Shared.Redis.Connection;

/// <summary>A command written to the connection and waiting for its reply (replies arrive in order).</summary>
internal sealed class PendingReply(string command, TimeSpan timeout)
    : TaskCompletionSource<RedisReply>(TaskCreationOptions.RunContinuationsAsynchronously)
{
    public string Command => command;

    /// <summary>When it was written to a connection (set by the connection; the watchdog measures from here).</summary>
    public long SentTimestamp { get; set; }

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
