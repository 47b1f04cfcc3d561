namespace Correctomatic.Starter;

/// <summary>A job that passed every check: what the container is created from.</summary>
public sealed record ValidatedJob
{
    /// <summary>The id of the entry in <c>pending</c> (the job id everywhere downstream); a rerun's is its first attempt's.</summary>
    public required string JobId { get; init; }

    /// <summary>1 for a job as its producer added it; 2.. for a rerun after an infrastructure fault (issue #15).</summary>
    public int Attempt { get; init; } = 1;
    public string? WorkId { get; init; }
    public required string Image { get; init; }
    public required string Callback { get; init; }
    public required IReadOnlyList<string> Env { get; init; }
    public required EffectiveLimits Limits { get; init; }
    public required byte[] File { get; init; }
    public required DateTimeOffset QueuedAt { get; init; }
}
