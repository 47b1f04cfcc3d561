using System.Threading.Channels;
using Correctomatic.Shared.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Correctomatic.Tests.Unit.Hosting;

public sealed class StageLoopTests
{
    private static readonly TimeSpan s_interval = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan s_retryDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);

    /// <summary>A fake clock that says each wait it is asked for, so a test advances it exactly past that wait.</summary>
    private sealed class WaitsTimeProvider : FakeTimeProvider
    {
        public Channel<TimeSpan> Waits { get; } = Channel.CreateUnbounded<TimeSpan>();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = base.CreateTimer(callback, state, dueTime, period);
            Waits.Writer.TryWrite(dueTime);
            return timer;
        }

        /// <summary>Waits until the loop asks for its next wait, checks its length, and lets that much time pass.</summary>
        public async Task PassNextWaitAsync(TimeSpan expected)
        {
            Assert.Equal(expected, await Waits.Reader.ReadAsync().AsTask().WaitAsync(s_wait));
            Advance(expected);
        }
    }

    private static async Task<T> NextAsync<T>(Channel<T> channel) => await channel.Reader.ReadAsync().AsTask().WaitAsync(s_wait);

    /// <summary>A loop whose step succeeds and says when (on the fake clock) it ran.</summary>
    private static (Task Loop, Channel<DateTimeOffset> Runs) StartRecording(TimeProvider time, CancellationToken stopping, bool waitFirst = false)
    {
        var runs = Channel.CreateUnbounded<DateTimeOffset>();
        var loop = new StageLoop(s_retryDelay, time, NullLogger.Instance).RunAsync("test", _ =>
        {
            runs.Writer.TryWrite(time.GetUtcNow());
            return Task.CompletedTask;
        }, s_interval, stopping, waitFirst);
        return (loop, runs);
    }

    [Fact]
    public async Task RunAsync_StepSucceeds_RunsAtOnceThenEveryInterval()
    {
        var time = new WaitsTimeProvider();
        using var stopping = new CancellationTokenSource();
        var start = time.GetUtcNow();
        var (loop, runs) = StartRecording(time, stopping.Token);

        Assert.Equal(start, await NextAsync(runs));
        await time.PassNextWaitAsync(s_interval);
        Assert.Equal(start + s_interval, await NextAsync(runs));
        await time.PassNextWaitAsync(s_interval);
        Assert.Equal(start + (2 * s_interval), await NextAsync(runs));

        await stopping.CancelAsync();
        await loop.WaitAsync(s_wait);
    }

    [Fact]
    public async Task RunAsync_WaitFirst_FirstRunAfterOneInterval()
    {
        var time = new WaitsTimeProvider();
        using var stopping = new CancellationTokenSource();
        var start = time.GetUtcNow();
        var (loop, runs) = StartRecording(time, stopping.Token, waitFirst: true);

        await time.PassNextWaitAsync(s_interval);
        Assert.Equal(start + s_interval, await NextAsync(runs));

        await stopping.CancelAsync();
        await loop.WaitAsync(s_wait);
    }

    [Fact]
    public async Task RunAsync_StepFails_CountedAndRunAgainAfterTheRetryDelayNotTheInterval()
    {
        var time = new WaitsTimeProvider();
        var runs = Channel.CreateUnbounded<DateTimeOffset>();
        var failures = new List<Exception>();
        using var stopping = new CancellationTokenSource();
        var start = time.GetUtcNow();
        var calls = 0;
        var loop = new StageLoop(s_retryDelay, time, NullLogger.Instance, failures.Add).RunAsync("test", _ =>
        {
            runs.Writer.TryWrite(time.GetUtcNow());
            return ++calls == 1 ? throw new InvalidOperationException("Redis said no") : Task.CompletedTask;
        }, s_interval, stopping.Token);

        Assert.Equal(start, await NextAsync(runs));
        await time.PassNextWaitAsync(s_retryDelay);
        Assert.Equal(start + s_retryDelay, await NextAsync(runs));
        await time.PassNextWaitAsync(s_interval);
        Assert.Equal(start + s_retryDelay + s_interval, await NextAsync(runs));

        Assert.Equal("Redis said no", Assert.Single(failures).Message);
        await stopping.CancelAsync();
        await loop.WaitAsync(s_wait);
    }

    [Fact]
    public async Task RunAsync_FatalFailure_IsLetThrough()
    {
        var failures = new List<Exception>();

        await Assert.ThrowsAsync<OutOfMemoryException>(() => new StageLoop(s_retryDelay, new FakeTimeProvider(), NullLogger.Instance, failures.Add)
            .RunAsync("test", _ => throw new OutOfMemoryException(), s_interval, CancellationToken.None));

        Assert.Empty(failures);
    }

    [Fact]
    public async Task RunAsync_StoppedWhileTheStepWaits_EndsQuietlyWithoutCountingAFailure()
    {
        var failures = new List<Exception>();
        using var stopping = new CancellationTokenSource();
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var loop = new StageLoop(s_retryDelay, new FakeTimeProvider(), NullLogger.Instance, failures.Add).RunAsync("test", async ct =>
        {
            entered.TrySetResult();
            await Task.Delay(Timeout.InfiniteTimeSpan, ct); // a blocking read
        }, TimeSpan.Zero, stopping.Token);

        await entered.Task.WaitAsync(s_wait);
        await stopping.CancelAsync();
        await loop.WaitAsync(s_wait);

        Assert.Empty(failures);
    }
}
