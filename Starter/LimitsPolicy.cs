using System.Globalization;
using Correctomatic.Shared.Configuration;
using Correctomatic.Shared.Contracts;

namespace Correctomatic.Starter;

/// <summary>
/// The configured per-job limits: a default each job gets, and a maximum no job may exceed (issue #2: "a job may lower
/// the configured limits, never exceed the configured maximum"). Defaults: 1 CPU, 300 MB, enough for the
/// interpreters the graders run.
/// </summary>
/// <remarks>
/// Every asked limit is compared as the number it arrived as, before any conversion, so no value (1e15, 1e400 read as
/// Infinity, -1, 0) can throw in here (issue #14: <c>TimeSpan.FromSeconds(1e15)</c> threw, and the job was retried
/// instead of rejected). Each refusal names the field.
/// </remarks>
public sealed record LimitsPolicy
{
    /// <summary>
    /// The smallest CPU share the kernel enforces: CFS refuses a quota under 1 ms per period, and Docker's NanoCpus uses
    /// a 100 ms period, so 0.01 CPUs. Below it the engine writes no quota at all (cpu.max "max"): unlimited (issue #14).
    /// </summary>
    public const double MinCpus = 0.01;

    /// <summary>The engine refuses a memory limit under 6 MB (Docker Engine API, HostConfig.Memory).</summary>
    public const long MinMemoryMb = 6;

    /// <summary>A timeout under a millisecond cannot be kept by anything here; it means nothing.</summary>
    public const double MinTimeoutSeconds = 0.001;

    /// <summary>JOB_PIDS's default under CONTAINER_RUNTIME=runsc (128 under runc).</summary>
    public const long RunscDefaultPids = 512;

    /// <summary>A /tmp under 1 MiB holds nothing a grader can use.</summary>
    public const long MinTmpMb = 1;

    public required EffectiveLimits Default { get; init; }
    public required EffectiveLimits Maximum { get; init; }

    public static LimitsPolicy Read(SettingsReader reader)
    {
        // CONTAINER_TMP_MB is both the default and the most a job may ask for: /tmp is memory (a tmpfs), a job may only ask less.
        var tmpMb = reader.Long("CONTAINER_TMP_MB", EffectiveLimits.DefaultTmpMb, MinTmpMb, 1L << 20);
        // Under gVisor the pids cgroup counts the sandbox's own host threads too: at 128 its sentry fails to start for
        // the python and node graders ("error initializing first thread"); 512 leaves it room (README "gVisor").
        var pidsDefault = reader.String("CONTAINER_RUNTIME", "runc") == "runsc" ? RunscDefaultPids : 128;
        var maximum = new EffectiveLimits(
            reader.Duration("JOB_TIMEOUT_MAX", TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(1), TimeSpan.FromDays(1)),
            reader.Long("JOB_MEMORY_MB_MAX", 1024, MinMemoryMb, 1L << 20),
            reader.Double("JOB_CPUS_MAX", 2, MinCpus, 1024),
            reader.Long("JOB_PIDS_MAX", 512, 1, 1L << 22),
            tmpMb);
        var byDefault = new EffectiveLimits(
            reader.Duration("JOB_TIMEOUT", TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(1), TimeSpan.FromDays(1)),
            reader.Long("JOB_MEMORY_MB", 300, MinMemoryMb, 1L << 20),
            reader.Double("JOB_CPUS", 1, MinCpus, 1024),
            reader.Long("JOB_PIDS", pidsDefault, 1, 1L << 22),
            tmpMb);
        var policy = new LimitsPolicy { Default = byDefault, Maximum = maximum };
        foreach (var problem in policy.DefaultsAboveMaximum())
        {
            reader.AddError(problem);
        }

        return policy;
    }

    /// <summary>The job's limits: each one asked for, or the default; an ask out of range is a rejection naming the limit.</summary>
    public LimitsDecision Apply(JobLimits? asked)
    {
        var problems = new List<string>();
        var timeout = Default.Timeout;
        if (asked?.TimeoutSeconds is { } seconds
            && CheckNumber("timeout_seconds", seconds, MinTimeoutSeconds, Maximum.Timeout.TotalSeconds, "s", problems))
        {
            timeout = TimeSpan.FromSeconds(seconds); // finite and within [1 ms, JOB_TIMEOUT_MAX ≤ 1 day]: cannot overflow
        }

        var cpus = Default.Cpus;
        if (asked?.Cpus is { } c && CheckNumber("cpus", c, MinCpus, Maximum.Cpus, "", problems))
        {
            cpus = c;
        }

        var memory = CheckWhole("memory_mb", asked?.MemoryMb, MinMemoryMb, Default.MemoryMb, Maximum.MemoryMb, problems);
        var pids = CheckWhole("pids", asked?.Pids, 1, Default.Pids, Maximum.Pids, problems);
        var tmp = CheckWhole("tmp_mb", asked?.TmpMb, MinTmpMb, Default.TmpMb, Maximum.TmpMb, problems);
        return problems.Count > 0
            ? LimitsDecision.Reject("limits out of range: " + string.Join("; ", problems))
            : LimitsDecision.Accept(new EffectiveLimits(timeout, memory, cpus, pids, tmp));
    }

    private static bool CheckNumber(string name, double value, double minimum, double maximum, string unit, List<string> problems)
    {
        if (!double.IsFinite(value))
        {
            problems.Add($"{name} is not a finite number");
            return false;
        }

        if (value < minimum)
        {
            problems.Add(name == "cpus"
                ? $"cpus={F(value)} is below the kernel's floor of {F(MinCpus)} (1 ms of CPU in each 100 ms period); below it there would be no CPU limit at all"
                : $"{name}={F(value)} is below the minimum {F(minimum)}{unit}");
            return false;
        }

        if (value > maximum)
        {
            problems.Add($"{name}={F(value)} exceeds the maximum {F(maximum)}");
            return false;
        }

        return true;
    }

    private static long CheckWhole(string name, long? asked, long minimum, long byDefault, long maximum, List<string> problems)
    {
        if (asked is not { } value)
        {
            return byDefault;
        }

        if (value < minimum)
        {
            problems.Add($"{name}={value} is below the minimum {minimum}");
        }
        else if (value > maximum)
        {
            problems.Add($"{name}={value} exceeds the maximum {maximum}");
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

    /// <summary>Up to 6 significant digits, exponent form for very large or small values (1e+15, 1e-06), never a 16-digit string.</summary>
    private static string F(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
}
