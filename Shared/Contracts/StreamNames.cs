namespace Correctomatic.Shared.Contracts;

/// <summary>
/// The four streams of the wire contract (issue #2): <c>{prefix}pending</c> → <c>running</c> → <c>finished</c>, and <c>dead</c>.
/// </summary>
public sealed record StreamNames(string Prefix)
{
    public const string DefaultPrefix = "correctomatic:";

    public string Pending => Prefix + "pending";
    public string Running => Prefix + "running";
    public string Finished => Prefix + "finished";
    public string Dead => Prefix + "dead";

    public IReadOnlyList<string> All => [Pending, Running, Finished, Dead];
}
