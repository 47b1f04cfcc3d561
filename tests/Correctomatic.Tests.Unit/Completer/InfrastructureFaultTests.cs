using Correctomatic.Completer.Outcome;

namespace Correctomatic.Tests.Unit.Completer;

public sealed class InfrastructureFaultTests
{
    private static ContainerOutcome Exited(long exitCode) => new() { ExitCode = exitCode };

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(128)]
    [InlineData(255)]
    public void Cause_OrdinaryExit_Null(long exitCode) => Assert.Null(InfrastructureFault.Cause(Exited(exitCode)));

    [Theory]
    [InlineData(137, "SIGKILL")]
    [InlineData(143, "SIGTERM")]
    [InlineData(129, "SIGHUP")]
    [InlineData(130, "SIGINT")]
    [InlineData(192, "signal 64")]
    public void Cause_KilledBySignalFromOutside_NamesTheSignal(long exitCode, string name)
    {
        var cause = InfrastructureFault.Cause(Exited(exitCode));

        Assert.NotNull(cause);
        Assert.Contains(name, cause, StringComparison.Ordinal);
        Assert.Contains($"exit code {exitCode}", cause, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(139)] // SIGSEGV
    [InlineData(134)] // SIGABRT
    [InlineData(136)] // SIGFPE
    [InlineData(135)] // SIGBUS
    [InlineData(152)] // SIGXCPU
    [InlineData(153)] // SIGXFSZ
    public void Cause_SignalTheProgramRaisesOnItself_Null(long exitCode) => Assert.Null(InfrastructureFault.Cause(Exited(exitCode)));

    [Fact]
    public void Cause_KilledAtOurDeadline_Null() => Assert.Null(InfrastructureFault.Cause(Exited(137) with { TimedOut = true }));

    [Fact]
    public void Cause_KilledByTheOomKiller_Null() => Assert.Null(InfrastructureFault.Cause(Exited(137) with { OomKilled = true }));

    [Fact]
    public void Cause_Vanished_TheVanishedReason() =>
        Assert.Equal("gone", InfrastructureFault.Cause(ContainerOutcome.Vanished("gone")));

    [Fact]
    public void Cause_EngineError_NamesIt()
    {
        var cause = InfrastructureFault.Cause(Exited(0) with { EngineError = "shim disconnected" });

        Assert.NotNull(cause);
        Assert.Contains("shim disconnected", cause, StringComparison.Ordinal);
    }

    [Fact]
    public void Cause_NeverStartedOrStillRunning_Null()
    {
        Assert.Null(InfrastructureFault.Cause(new ContainerOutcome { NeverStarted = true }));
        Assert.Null(InfrastructureFault.Cause(new ContainerOutcome { StillRunning = true }));
    }
}
