using System.Net.Sockets;
using Correctomatic.Shared.Docker;

namespace Correctomatic.Tests.Integration.Infrastructure;

/// <summary>The real Docker engine the integration tests use (DOCKER_HOST, default the local socket) and the local test images.</summary>
public static class DockerEngine
{
    /// <summary>busybox-static on scratch, user grader; built by utils/build-images.sh.</summary>
    public const string BusyboxImage = "correctomatic/busybox:latest";

    /// <summary>The minimal shell grader (images/grader-shell).</summary>
    public const string ShellGraderImage = "correctomatic/grader-shell:latest";

    public static string Host => Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 } host ? host : "unix:///var/run/docker.sock";

    private static volatile bool s_answered;

    /// <summary>
    /// Fails the test with what to do when no engine answers /_ping. Under CI=true this is a failure, never a skip. An
    /// absent engine fails at once (no socket, or connection refused); a busy one gets a minute (a fresh-clone run saw a
    /// 5 s limit expire while the runsc tests loaded dockerd), and once it has answered, it is not asked again.
    /// </summary>
    public static async Task RequireAsync()
    {
        if (s_answered || !Host.StartsWith("unix://", StringComparison.Ordinal))
        {
            return; // a TCP engine is checked by the first real call
        }

        var path = Host["unix://".Length..];
        try
        {
            using var http = new HttpClient(new SocketsHttpHandler
            {
                ConnectCallback = async (_, ct) =>
                {
                    var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), ct);
                    return new NetworkStream(socket, ownsSocket: true);
                },
            }) { Timeout = TimeSpan.FromMinutes(1) };
            var answer = await http.GetStringAsync(new Uri("http://docker/_ping"));
            if (answer != "OK")
            {
                throw new InvalidOperationException($"the Docker engine at {Host} answered /_ping with '{answer}'");
            }

            s_answered = true;
        }
        catch (Exception ex) when (ex is HttpRequestException or SocketException or TaskCanceledException)
        {
            throw new InvalidOperationException($"no Docker engine answers at {Host}: run 'sudo ./utils/setup.sh' ({ex.Message})", ex);
        }
    }

    /// <summary>The docker CLI, as an independent reference for checks.</summary>
    public static Task<ProcessResult> CliAsync(params string[] arguments) =>
        ProcessRunner.RunAsync(ProcessRunner.Require("docker"), arguments, timeout: TimeSpan.FromMinutes(2),
            environment: new Dictionary<string, string> { ["DOCKER_HOST"] = Host });

    /// <summary>
    /// True when the kernel killed <paramref name="containerId"/> for memory: State.OOMKilled (while the container exists),
    /// or the engine's oom event (read from <paramref name="since"/>, unix nanoseconds, for up to 20 s). The engine may
    /// record the exit before the kernel's OOM notice: the flag then stays false and the event that follows says it,
    /// which is how the completer reads it too (COMPLETER_OOM_EVENT_GRACE).
    /// </summary>
    public static async Task<bool> OomKilledAsync(IDockerClient client, string containerId, long since)
    {
        try
        {
            if ((await client.InspectContainerAsync(containerId)).State.OomKilled)
            {
                return true;
            }
        }
        catch (DockerNoSuchContainerException)
        {
            // Removed already: the engine's events still tell.
        }

        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            await foreach (var e in client.GetEventsAsync(new DockerEventFilter { Events = ["oom"] }, since, cancellationToken: bound.Token))
            {
                if (e.ActorId == containerId)
                {
                    return true;
                }
            }
        }
        catch (OperationCanceledException) when (bound.IsCancellationRequested)
        {
            // None within the bound.
        }

        return false;
    }

    /// <summary>
    /// Builds <paramref name="tag"/> from a Dockerfile of local images only (no network); fails the test when the build does.
    /// Without the build cache: fixtures build the same Dockerfiles in parallel (StarterDeliveryTests and StarterTmpTests
    /// each have their own DeliveryImages) and remove their images when done. A build that took a cached step from
    /// another fixture's image then failed when that fixture's <c>rmi</c> deleted it mid-build ("failed to get digest …
    /// no such file or directory", fresh-clone run on 2026-12-03). With --no-cache every build makes its own layers.
    /// </summary>
    public static async Task BuildAsync(string tag, string dockerfile)
    {
        var dir = Directory.CreateTempSubdirectory("ct-build-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(dir, "Dockerfile"), dockerfile);
            var build = await CliAsync("build", "--network", "none", "--no-cache", "-q", "-t", tag, dir);
            Assert.True(build.ExitCode == 0, build.Describe());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
