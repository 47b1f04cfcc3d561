using Correctomatic.Shared.Docker;
using Correctomatic.Tests.Integration.Infrastructure;

namespace Correctomatic.Tests.Integration.Docker;

/// <summary>
/// One test's view of the real engine: our client, a label unique to this run that every container carries, and a
/// cleanup that removes exactly the containers carrying it (other helpers share the engine: never anything else).
/// </summary>
public sealed class DockerTestRun : IAsyncDisposable
{
    public const string RunLabelKey = "correctomatic.test.run";

    private DockerTestRun(DockerClient client)
    {
        Client = client;
        RunLabel = $"{RunLabelKey}=docker-{Guid.NewGuid():N}";
    }

    public DockerClient Client { get; }

    /// <summary>key=value, as the list and events filters take it.</summary>
    public string RunLabel { get; }

    public string RunLabelValue => RunLabel[(RunLabelKey.Length + 1)..];

    public static async Task<DockerTestRun> StartAsync()
    {
        await DockerEngine.RequireAsync();
        return new DockerTestRun(DockerClient.Create(DockerEngine.Host));
    }

    /// <summary>A sandboxed busybox container spec carrying the run label (network none, caps dropped).</summary>
    public ContainerSpec Spec(string script, ContainerHostConfig? hostConfig = null, string image = DockerEngine.BusyboxImage) => new()
    {
        Image = image,
        Cmd = ["sh", "-c", script],
        Labels = new Dictionary<string, string> { [RunLabelKey] = RunLabelValue },
        HostConfig = hostConfig ?? new ContainerHostConfig(),
    };

    /// <summary>Creates, starts and waits; returns the id and exit code.</summary>
    public async Task<(string Id, long ExitCode)> RunAsync(ContainerSpec spec, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        var id = await Client.CreateContainerAsync(spec, cts.Token);
        await Client.StartContainerAsync(id, cts.Token);
        return (id, await Client.WaitContainerAsync(id, cts.Token));
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            foreach (var c in await Client.ListContainersAsync([RunLabel]))
            {
                await Client.RemoveContainerAsync(c.Id);
            }
        }
        finally
        {
            Client.Dispose();
        }
    }
}
