namespace Correctomatic.Shared.Contracts;

/// <summary>Field names inside a stream entry (issue #2: one JSON document in <c>data</c>, an optional <c>token</c>).</summary>
public static class StreamFields
{
    /// <summary>The JSON document of the entry.</summary>
    public const string Data = "data";

    /// <summary>Optional JWT binding a pending job to its exact <c>data</c> bytes (issue #5).</summary>
    public const string Token = "token";

    /// <summary>On <c>dead</c> entries: why the entry could never complete.</summary>
    public const string Reason = "reason";

    /// <summary>On <c>dead</c> entries: the stream the entry died in.</summary>
    public const string Source = "source";

    /// <summary>On <c>dead</c> entries: the id the entry had in its source stream.</summary>
    public const string SourceId = "source_id";
}
