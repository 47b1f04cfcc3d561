namespace Correctomatic.Starter;

/// <summary>A started container, or why none could be started (<see cref="Status"/> rejected or error).</summary>
public sealed record LaunchResult(string? ContainerId, DateTimeOffset StartedAt, DateTimeOffset Deadline, string? Error, bool IsRejection = false)
{
    public bool Started => ContainerId is not null;

    public static LaunchResult Ok(string containerId, DateTimeOffset startedAt, DateTimeOffset deadline) => new(containerId, startedAt, deadline, null);

    public static LaunchResult Fail(string error, bool isRejection = false) => new(null, default, default, error, isRejection);
}
