using System.Diagnostics;
using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Configurations;
using DotNet.Testcontainers.Containers;
using DotNet.Testcontainers.Images;

namespace Correctomatic.Tests.Integration.Infrastructure;

/// <summary>
/// How this suite runs Testcontainers on this engine (issue #12): no registry, so images are never pulled; Ryuk cannot
/// be pulled either, so it is off and this process removes its own containers at exit — only those carrying its own
/// session label, never another test run's; the engine (20.10) speaks API 1.41, below Testcontainers' default.
/// </summary>
public static class TestContainers
{
    private static readonly Lazy<bool> s_configured = new(Configure);

    /// <summary>utils/test.sh sets it and sweeps by it after the run too (a crashed test process leaves no container).</summary>
    public static string RunLabel { get; } = "correctomatic.test-run=" +
        (Environment.GetEnvironmentVariable("CORRECTOMATIC_TEST_RUN") is { Length: > 0 } run ? run : ResourceReaper.DefaultSessionId.ToString("N"));

    public static void EnsureConfigured() => _ = s_configured.Value;

    public static TBuilder Configure<TBuilder, TContainer, TConfiguration>(ContainerBuilder<TBuilder, TContainer, TConfiguration> builder, string networkMode)
        where TBuilder : ContainerBuilder<TBuilder, TContainer, TConfiguration>
        where TContainer : IContainer
        where TConfiguration : IContainerConfiguration
    {
        EnsureConfigured();
        var label = RunLabel.Split('=', 2);
        return builder
            .WithImagePullPolicy(PullPolicy.Never)
            .WithLabel(label[0], label[1])
            // No docker0 here: network none (unix socket only) or the host's network (loopback only); never a published port.
            .WithCreateParameterModifier(p =>
            {
                p.HostConfig!.NetworkMode = networkMode;
                p.HostConfig.PortBindings?.Clear();
                p.ExposedPorts?.Clear();
            });
    }

    /// <summary>SIGKILL, as a crash would (Testcontainers' stop is a graceful SIGTERM).</summary>
    public static async Task KillAsync(IContainer container)
    {
        var kill = await DockerEngine.CliAsync("kill", container.Id);
        Assert.True(kill.ExitCode == 0, "docker kill: " + kill.Stderr);
        var wait = await DockerEngine.CliAsync("wait", container.Id);
        Assert.True(wait.ExitCode == 0, "docker wait: " + wait.Stderr);
    }

    private static bool Configure()
    {
        Environment.SetEnvironmentVariable("TESTCONTAINERS_RYUK_DISABLED", "true");
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOCKER_API_VERSION")))
        {
            Environment.SetEnvironmentVariable("DOCKER_API_VERSION", "1.41");
        }

        AppDomain.CurrentDomain.ProcessExit += (_, _) => Sweep();
        return true;
    }

    /// <summary>Removes this process's containers (label org.testcontainers.session-id = ours), with their volumes.</summary>
    private static void Sweep()
    {
        var filter = $"label=org.testcontainers.session-id={ResourceReaper.DefaultSessionId:D}";
        using var list = Process.Start(new ProcessStartInfo("docker", ["ps", "-aq", "--filter", filter]) { RedirectStandardOutput = true });
        var ids = list?.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries) ?? [];
        list?.WaitForExit();
        if (ids.Length > 0)
        {
            using var remove = Process.Start(new ProcessStartInfo("docker", ["rm", "-f", "-v", .. ids]) { RedirectStandardOutput = true, RedirectStandardError = true });
            remove?.WaitForExit(TimeSpan.FromSeconds(20));
        }
    }
}
