using Correctomatic.Completer;
using Correctomatic.Shared.Redis;
using Xunit.Abstractions;

namespace Correctomatic.Tests.Integration.Completer;

/// <summary>A completer running in the test process, on the harness's Redis and Docker engine.</summary>
internal sealed class RunningCompleter : IAsyncDisposable
{
    private readonly RedisConnections _redis;

    private RunningCompleter(CompleterWorker worker, RedisConnections redis)
    {
        Worker = worker;
        _redis = redis;
    }

    public CompleterWorker Worker { get; }

    public static async Task<RunningCompleter> StartAsync(CompleterHarness harness, ITestOutputHelper output, CompleterSettings? settings = null,
        Func<CancellationToken, Task>? eventWatcherGate = null, string name = "completer", TimeProvider? clock = null)
    {
        settings ??= harness.Settings();
        var redis = TestRedis.Connect(settings.Common.RedisUrl, "test-" + name);
        var streams = settings.Common.Streams;
        var worker = new CompleterWorker(settings, harness.Docker,
            group => new StreamQueue(redis, new StreamQueueOptions
            {
                Stream = streams.Running, Group = group, DeadStream = streams.Dead, Consumer = settings.ConsumerName,
            }),
            clock ?? TimeProvider.System, new TestOutputLogger<CompleterWorker>(output, name))
        {
            EventWatcherGate = eventWatcherGate,
        };
        await worker.StartAsync(CancellationToken.None);
        await worker.Ready.WaitAsync(TimeSpan.FromSeconds(30));
        return new RunningCompleter(worker, redis);
    }

    public async ValueTask DisposeAsync()
    {
        await Worker.StopAsync(CancellationToken.None);
        Worker.Dispose();
        await _redis.DisposeAsync();
    }
}
