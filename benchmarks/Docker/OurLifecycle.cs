using Correctomatic.Shared.Docker;

namespace Correctomatic.Benchmarks.Docker;

/// <summary>One trivial container's life through our client.</summary>
internal sealed class OurLifecycle(IDockerClient client, string runLabel)
{
    public const string BenchLabel = "correctomatic.bench.run";

    private readonly ContainerSpec _spec = new()
    {
        Image = DockerBenchmark.Image,
        Cmd = ["true"],
        Labels = new Dictionary<string, string> { [BenchLabel] = runLabel },
    };

    public async Task RunAsync()
    {
        var id = await client.CreateContainerAsync(_spec);
        await client.StartContainerAsync(id);
        var exit = await client.WaitContainerAsync(id);
        await client.GetLogsAsync(id, 64 * 1024);
        await client.RemoveContainerAsync(id);
        if (exit != 0)
        {
            throw new InvalidOperationException($"the benchmark container exited {exit}");
        }
    }
}
