using Correctomatic.Shared.Contracts;

namespace Correctomatic.Tests.Integration.Completer;

/// <summary>A grader container created the way the starter creates one, and the running entry it would hand off.</summary>
internal sealed record TestJob(string ContainerId, RunningJob Running)
{
    public string JobId => Running.JobId;
}
