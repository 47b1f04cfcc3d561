using Microsoft.Extensions.Hosting;

namespace Correctomatic.Starter;

/// <summary>
/// The starter as the host runs it: builds the worker inside the host's start, where the Docker host id can be asked of
/// the engine asynchronously (never sync-over-async in a DI factory), then runs it until the host stops it (the worker's
/// own staged shutdown). An unreachable engine fails the start, and so stops the service.
/// </summary>
internal sealed class StarterService(Func<CancellationToken, Task<StarterWorker>> createWorker) : BackgroundService
{
    private StarterWorker? _worker;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var worker = await createWorker(stoppingToken);
        _worker = worker;
        await worker.StartAsync(stoppingToken);
        await (worker.ExecuteTask ?? Task.CompletedTask);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_worker is { } worker)
        {
            await worker.StopAsync(cancellationToken);
        }

        await base.StopAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _worker?.Dispose();
        base.Dispose();
    }
}
