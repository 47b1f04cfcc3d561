using System.Runtime.InteropServices;

namespace Correctomatic.Cli.Commands;

/// <summary>
/// Ctrl+C (SIGINT) and SIGTERM as a cancellation, for the commands that run until stopped (<c>top</c>, <c>status --watch</c>).
/// System.CommandLine 2.0.0's own handler did not see the signal here (the process died of SIGINT, exit 130, the
/// cursor left hidden by the live display), so the command registers it itself: the signal's default action is
/// cancelled and the token fires, the command returns normally and its live display restores the terminal.
/// </summary>
public sealed class InterruptScope : IDisposable
{
    private readonly CancellationTokenSource _cts;
    private readonly PosixSignalRegistration _sigInt;
    private readonly PosixSignalRegistration _sigTerm;

    public InterruptScope(CancellationToken outer)
    {
        _cts = CancellationTokenSource.CreateLinkedTokenSource(outer);
        _sigInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        _sigTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
    }

    /// <summary>Cancelled on SIGINT, SIGTERM or when the outer token is.</summary>
    public CancellationToken Token => _cts.Token;

    public void Dispose()
    {
        _sigInt.Dispose();
        _sigTerm.Dispose();
        _cts.Dispose();
    }

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        _cts.Cancel();
    }
}
