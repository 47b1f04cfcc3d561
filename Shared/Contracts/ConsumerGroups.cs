namespace Correctomatic.Shared.Contracts;

/// <summary>
/// How several Docker hosts share one <c>running</c> stream (issue #6): every completer of Docker host H reads the stream
/// in the consumer group <c>completer:H</c>. Each group sees every entry; a completer completes the entries whose
/// <c>docker_host</c> is its own and acknowledges the others in its group untouched. So each job completes exactly once,
/// on the host that runs its container, and completers of one host share that host's work.
/// </summary>
public static class ConsumerGroups
{
    public const string Starter = "starter";
    public const string Notifier = "notifier";

    public static string Completer(string dockerHostId) => "completer:" + dockerHostId;
}
