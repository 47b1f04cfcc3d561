namespace Correctomatic.Tests.Integration.Pipeline;

/// <summary>One <see cref="PipelineHarness"/> per test class: the services start once, the class's tests share them.</summary>
public sealed class PipelineFixture : IAsyncLifetime
{
    private PipelineHarness? _harness;

    public PipelineHarness Harness => _harness ?? throw new InvalidOperationException("the pipeline has not started");

    public async Task InitializeAsync() => _harness = await PipelineHarness.StartAsync();

    public async Task DisposeAsync()
    {
        if (_harness is not null)
        {
            await _harness.DisposeAsync();
        }
    }
}
