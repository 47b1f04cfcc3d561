using Correctomatic.Shared.Contracts;

namespace Correctomatic.Tests.Integration.Pipeline;

/// <summary>One job's verified callback: its id, the exact body the receiver verified, and that body parsed.</summary>
public sealed record PipelineCallback(string JobId, string Body, CorrectionResult Result)
{
    public override string ToString() => Body;
}
