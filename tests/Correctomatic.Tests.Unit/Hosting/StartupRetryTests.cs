using Correctomatic.Shared.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace Correctomatic.Tests.Unit.Hosting;

public sealed class StartupRetryTests
{
    [Fact]
    public async Task UntilDoneAsync_FailsTwiceThenSucceeds_ReturnsTheValueAfterThreeAttempts()
    {
        var attempts = 0;

        var value = await StartupRetry.UntilDoneAsync("group", _ => ++attempts < 3
                ? throw new InvalidOperationException("SocketClosed")
                : Task.FromResult(42),
            NullLogger.Instance, TimeProvider.System, CancellationToken.None, firstDelay: TimeSpan.FromMilliseconds(1));

        Assert.Equal(42, value);
        Assert.Equal(3, attempts);
    }

    [Fact]
    public async Task UntilDoneAsync_FailsWhileTheServiceStops_NotRetried()
    {
        using var stopping = new CancellationTokenSource();
        var attempts = 0;

        await Assert.ThrowsAsync<InvalidOperationException>(() => StartupRetry.UntilDoneAsync("group", _ =>
        {
            attempts++;
            stopping.Cancel();
            throw new InvalidOperationException("down");
        }, NullLogger.Instance, TimeProvider.System, stopping.Token, firstDelay: TimeSpan.FromMilliseconds(1)));

        Assert.Equal(1, attempts);
    }

    [Fact]
    public async Task UntilDoneAsync_OutOfMemory_IsNotRetried()
    {
        var attempts = 0;

        await Assert.ThrowsAsync<OutOfMemoryException>(() => StartupRetry.UntilDoneAsync("group", _ =>
        {
            attempts++;
            throw new OutOfMemoryException();
        }, NullLogger.Instance, TimeProvider.System, CancellationToken.None, firstDelay: TimeSpan.FromMilliseconds(1)));

        Assert.Equal(1, attempts);
    }
}
