using System.Globalization;
using Correctomatic.Shared.Configuration;
using Correctomatic.Shared.Contracts;

namespace Correctomatic.Starter;

/// <summary>
/// The configured per-job limits: a default each job gets, and a maximum no job may exceed (issue #2: "a job may lower
/// the configured limits, never exceed the configured maximum"). Defaults follow seed 003 (1 CPU, 300 MB).
/// </summary>
public sealed record LimitsPolicy
{
    public required EffectiveLimits Default { get; init; }
    public required EffectiveLimits Maximum { get; init; }

    public static LimitsPolicy Read(SettingsReader reader)
    {
        var maximum = new EffectiveLimits(
            reader.Duration("JOB_TIMEOUT_MAX", TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(1), TimeSpan.FromDays(1)),
            reader.Long("JOB_MEMORY_MB_MAX", 1024, 6, 1L << 20),
            reader.Double("JOB_CPUS_MAX", 2, 0.01, 1024),
            reader.Long("JOB_PIDS_MAX", 512, 1, 1L << 22));
        var byDefault = new EffectiveLimits(
            reader.Duration("JOB_TIMEOUT", TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(1), TimeSpan.FromDays(1)),
            reader.Long("JOB_MEMORY_MB", 300, 6, 1L << 20),
            reader.Double("JOB_CPUS", 1, 0.01, 1024),
            reader.Long("JOB_PIDS", 128, 1, 1L << 22));
        var policy = new LimitsPolicy { Default = byDefault, Maximum = maximum };
        foreach (var problem in policy.DefaultsAboveMaximum())
        {
            reader.AddError(problem);
        }

        return policy;
    }

    /// <summary>The job's limits: each one asked for, or the default; an ask over the maximum is a rejection naming the limit.</summary>
    public LimitsDecision Apply(JobLimits? asked)
    {
        var over = new List<string>();
        var timeout = Default.Timeout;
        if (asked?.TimeoutSeconds is { } seconds)
        {
            var wanted = TimeSpan.FromSeconds(seconds);
            if (wanted > Maximum.Timeout)
            {
                over.Add($"timeout_seconds={F(seconds)} exceeds the maximum {F(Maximum.Timeout.TotalSeconds)}");
            }

            timeout = wanted;
        }

        var memory = Check(asked?.MemoryMb, Default.MemoryMb, Maximum.MemoryMb, "memory_mb", over);
        var pids = Check(asked?.Pids, Default.Pids, Maximum.Pids, "pids", over);
        var cpus = Default.Cpus;
        if (asked?.Cpus is { } c)
        {
            if (c > Maximum.Cpus)
            {
                over.Add($"cpus={F(c)} exceeds the maximum {F(Maximum.Cpus)}");
            }

            cpus = c;
        }

        return over.Count > 0
            ? LimitsDecision.Reject("limits over the configured maximum: " + string.Join("; ", over))
            : LimitsDecision.Accept(new EffectiveLimits(timeout, memory, cpus, pids));
    }

    private static long Check(long? asked, long byDefault, long maximum, string name, List<string> over)
    {
        if (asked is not { } value)
        {
            return byDefault;
        }

        if (value > maximum)
        {
            over.Add($"{name}={value} exceeds the maximum {maximum}");
        }

        return value;
    }

    private IEnumerable<string> DefaultsAboveMaximum()
    {
        if (Default.Timeout > Maximum.Timeout)
        {
            yield return "JOB_TIMEOUT must not exceed JOB_TIMEOUT_MAX";
        }

        if (Default.MemoryMb > Maximum.MemoryMb)
        {
            yield return "JOB_MEMORY_MB must not exceed JOB_MEMORY_MB_MAX";
        }

        if (Default.Cpus > Maximum.Cpus)
        {
            yield return "JOB_CPUS must not exceed JOB_CPUS_MAX";
        }

        if (Default.Pids > Maximum.Pids)
        {
            yield return "JOB_PIDS must not exceed JOB_PIDS_MAX";
        }
    }

    private static string F(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
