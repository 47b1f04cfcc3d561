using System.Diagnostics.CodeAnalysis;

namespace Correctomatic.Completer.Outcome;

/// <summary>The grader's response text found on stdout, or why there is none (for an <c>invalid_output</c> result).</summary>
public sealed record ExtractedResponse
{
    private ExtractedResponse(string? json, string? problem)
    {
        Json = json;
        Problem = problem;
    }

    public string? Json { get; }
    public string? Problem { get; }

    [MemberNotNullWhen(true, nameof(Json))]
    [MemberNotNullWhen(false, nameof(Problem))]
    public bool IsFound => Json is not null;

    public static ExtractedResponse Found(string json) => new(json, null);

    public static ExtractedResponse Missing(string problem) => new(null, problem);
}
