namespace Correctomatic.Starter;

/// <summary>Either the limits a job runs with, or why its limits were refused.</summary>
public sealed record LimitsDecision(EffectiveLimits? Limits, string? Rejection)
{
    public static LimitsDecision Accept(EffectiveLimits limits) => new(limits, null);

    public static LimitsDecision Reject(string why) => new(null, why);
}
