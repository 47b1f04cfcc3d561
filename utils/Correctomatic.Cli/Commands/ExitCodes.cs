namespace Correctomatic.Cli.Commands;

/// <summary>The CLI's exit codes, documented in the README.</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The command ran and found a problem (e.g. a job that did not complete, a refused confirmation).</summary>
    public const int Failed = 1;

    /// <summary>Bad usage or bad input (missing file, bad option value).</summary>
    public const int Usage = 2;

    /// <summary>Redis or Docker could not be reached.</summary>
    public const int Unavailable = 3;

    /// <summary>What was asked for is not there (e.g. <c>status</c> of a job id no stream holds).</summary>
    public const int NotFound = 4;
}
