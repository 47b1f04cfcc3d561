using System.Diagnostics;
using Correctomatic.Notifier.Delivery;

namespace Correctomatic.Tests.Unit.Notifier;

public sealed class HostLimiterTests
{
    [Fact]
    public async Task AcquireAsync_HostAtItsInFlightCap_WaitsWhileOtherHostsProceed()
    {
        await using var sut = new HostLimiter(maxInFlightPerHost: 2, ratePerSecond: 0);
        using var first = await sut.AcquireAsync("slow.example", CancellationToken.None);
        using var second = await sut.AcquireAsync("slow.example", CancellationToken.None);

        var third = sut.AcquireAsync("slow.example", CancellationToken.None).AsTask();
        using var other = await sut.AcquireAsync("fast.example", CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(5));

        Assert.False(third.IsCompleted);
        first.Dispose();
        using var released = await third.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task AcquireAsync_RatePerHost_SpacesRequestsAfterTheBurst()
    {
        await using var sut = new HostLimiter(maxInFlightPerHost: 100, ratePerSecond: 20);
        var clock = Stopwatch.StartNew();

        for (var i = 0; i < 30; i++)
        {
            using var lease = await sut.AcquireAsync("lms.example", CancellationToken.None);
        }

        // A burst of 20 tokens, then one every 50 ms: the last 10 take about 0.5 s.
        Assert.InRange(clock.Elapsed.TotalMilliseconds, 350, 5000);
    }
}
