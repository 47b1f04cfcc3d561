using Correctomatic.Tests.Integration.Infrastructure;

namespace Correctomatic.Tests.Integration.Pipeline;

/// <summary>
/// One pipeline per runtime, started on first use (a test class that asks only for runc never starts gVisor's), and a
/// runner image of this test run: busybox whose command is <c>sh /tmp/exercise</c>, so the submission is the grader.
/// </summary>
public sealed class SandboxPipelineFixture : IAsyncLifetime
{
    private readonly Dictionary<string, Task<PipelineHarness>> _harnesses = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public string Runner { get; } = $"correctomatic/ct-sandbox-runner:{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>The runtime's pipeline, with the Starter's defaults (JOB_PIDS 128) under both.</summary>
    public Task<PipelineHarness> HarnessAsync(string runtime)
    {
        lock (_gate)
        {
            if (!_harnesses.TryGetValue(runtime, out var harness))
            {
                harness = PipelineHarness.StartAsync(new Dictionary<string, string> { ["CONTAINER_RUNTIME"] = runtime });
                _harnesses[runtime] = harness;
            }

            return harness;
        }
    }

    public Task InitializeAsync() => DockerEngine.BuildAsync(Runner, $"FROM {DockerEngine.BusyboxImage}\nCMD [\"/bin/sh\", \"/tmp/exercise\"]\n");

    public async Task DisposeAsync()
    {
        foreach (var harness in _harnesses.Values)
        {
            await (await harness).DisposeAsync();
        }

        await DockerEngine.CliAsync("rmi", "-f", Runner);
    }
}
