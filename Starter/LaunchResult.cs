namespace Correctomatic.Starter;

/// <summary>A started container, or why none could be started (the job then completes with <c>error</c>; bad jobs are rejected before a launch, by the validator).</summary>
public sealed record LaunchResult(string? ContainerId, DateTimeOffset StartedAt, DateTimeOffset Deadline, string? Error)
{
    public bool Started => ContainerId is not null;

    public static LaunchResult Ok(string containerId, DateTimeOffset startedAt, DateTimeOffset deadline) => new(containerId, startedAt, deadline, null);

    public static LaunchResult Fail(string error) => new(null, default, default, error);
}
