namespace Correctomatic.Benchmarks.Pipeline;

/// <summary>How the baseline gets the submission into the container (see <see cref="BaselineLifecycle"/>).</summary>
internal enum BaselineKind
{
    Bare,
    Archive,

    /// <summary>The Starter's own container (its default sandbox and stdin delivery), driven directly: see --sandboxed.</summary>
    Sandboxed,
}
