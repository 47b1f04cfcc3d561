namespace Correctomatic.Starter;

/// <summary>The limits one container runs with; <paramref name="TmpMb"/> bounds the tmpfs at /tmp (CONTAINER_TMP_MB, issue #14).</summary>
public sealed record EffectiveLimits(TimeSpan Timeout, long MemoryMb, double Cpus, long Pids, long TmpMb = EffectiveLimits.DefaultTmpMb)
{
    public const long DefaultTmpMb = 64;

    public long TmpBytes => TmpMb * 1024 * 1024;

    public long MemoryBytes => MemoryMb * 1024 * 1024;

    /// <summary>HostConfig.NanoCpus: CPUs in units of 10^-9.</summary>
    public long NanoCpus => (long)Math.Round(Cpus * 1_000_000_000d);
}
