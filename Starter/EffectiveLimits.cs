namespace Correctomatic.Starter;

/// <summary>The limits one container runs with.</summary>
public sealed record EffectiveLimits(TimeSpan Timeout, long MemoryMb, double Cpus, long Pids)
{
    public long MemoryBytes => MemoryMb * 1024 * 1024;

    /// <summary>HostConfig.NanoCpus: CPUs in units of 10^-9.</summary>
    public long NanoCpus => (long)Math.Round(Cpus * 1_000_000_000d);
}
