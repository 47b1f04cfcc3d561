using Correctomatic.Shared.Redis;

namespace Correctomatic.Tests.Integration.Notifier;

/// <summary>The notifier as its own process (issue #7): crash mid-delivery, and staged shutdown on SIGTERM.</summary>
public sealed class NotifierProcessTests : IAsyncLifetime
{
    private NotifierFixture _f = null!;

    public async Task InitializeAsync() => _f = await NotifierFixture.StartAsync();

    public async Task DisposeAsync() => await _f.DisposeAsync();

    [Fact]
    public async Task Deliver_NotifierKilledMidDelivery_DeliveredAfterRestartWithTheSameIdempotencyKey()
    {
        _f.Receiver.Script("crash", CallbackReceiver.Hang);
        var jobId = await _f.AddFinishedAsync(_f.Receiver.Url("crash"));
        await using (var first = NotifierProcess.Start(_f.Settings(("NOTIFIER_CONSUMER", "first"))))
        {
            await _f.Receiver.WaitForAsync(1, "crash", TimeSpan.FromSeconds(30));
            await first.KillAsync(); // mid-request: the receiver has the body, the notifier never saw an answer
        }

        Assert.Equal(1, await _f.PendingAsync());
        await using var second = NotifierProcess.Start(_f.Settings(("NOTIFIER_CONSUMER", "second")));

        var got = await _f.Receiver.WaitForAsync(2, "crash", TimeSpan.FromSeconds(30));

        Assert.All(got, r => Assert.Equal(jobId, r.IdempotencyKey));
        Assert.Equal(got[0].Body, got[1].Body);
        Assert.Equal(200, got[1].StatusSent);
        await NotifierFixture.EventuallyAsync(async () => await _f.PendingAsync() == 0, "the reclaimed entry is acknowledged");
        Assert.Empty(await _f.DeadAsync());
        Assert.Contains("reclaimed 1 entries", second.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Shutdown_Sigterm_StopsPromptlyLeavingTheRetryingEntryPending()
    {
        _f.Receiver.Script("retrying", Enumerable.Repeat(500, 1000).ToArray());
        await using var notifier = NotifierProcess.Start(_f.Settings(("NOTIFIER_SHUTDOWN_GRACE", "3s")));
        await _f.AddFinishedAsync(_f.Receiver.Url("retrying"));
        await _f.Receiver.WaitForAsync(2, "retrying", TimeSpan.FromSeconds(30));

        var exitCode = await notifier.TerminateAsync(TimeSpan.FromSeconds(10));

        Assert.True(exitCode == 0, $"exit code {exitCode}; output:{Environment.NewLine}{notifier.Output}");
        Assert.Contains("stopping: reading stopped", notifier.Output, StringComparison.Ordinal);
        Assert.Equal(1, await _f.PendingAsync()); // not acknowledged, not dead: the next notifier continues it
        Assert.Empty(await _f.DeadAsync());
    }

    [Fact]
    public async Task Start_WithoutSigningKey_RefusesNamingTheSettings()
    {
        var settings = _f.Settings();
        settings.Remove("CALLBACK_SIGNING_KEY_FILE");
        await using var notifier = NotifierProcess.Start(settings);

        await NotifierFixture.EventuallyAsync(() => Task.FromResult(notifier.HasExited), "the notifier exits", TimeSpan.FromSeconds(30));

        Assert.Contains("CALLBACK_SIGNING_KEY_FILE", notifier.Output, StringComparison.Ordinal);
        Assert.Contains("CALLBACK_SIGNING_SECRET", notifier.Output, StringComparison.Ordinal);
        Assert.Equal(0, await _f.Client.XLenAsync(_f.Streams.Finished)); // it never touched the queue
    }
}
