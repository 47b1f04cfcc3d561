using System.Diagnostics;
using Correctomatic.Tests.Integration.Infrastructure;
using Xunit.Abstractions;

namespace Correctomatic.Tests.Integration.Completer;

/// <summary>The real service (<c>Completer/bin/.../Correctomatic.Completer.dll</c>) as a child process, so a test can kill it -9.</summary>
internal sealed class CompleterProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private CompleterProcess(Process process, ITestOutputHelper output, string name)
    {
        _process = process;
        void OnLine(object? sender, DataReceivedEventArgs e)
        {
            if (e.Data is null)
            {
                return;
            }

            if (e.Data.Contains("completer started", StringComparison.Ordinal))
            {
                _started.TrySetResult();
            }

            try
            {
                output.WriteLine($"[{name}] {e.Data}");
            }
            catch (InvalidOperationException)
            {
                // the test already ended
            }
        }

        process.OutputDataReceived += OnLine;
        process.ErrorDataReceived += OnLine;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public static async Task<CompleterProcess> StartAsync(CompleterHarness harness, ITestOutputHelper output, string name,
        IReadOnlyDictionary<string, string>? extra = null)
    {
        var psi = new ProcessStartInfo(ProcessRunner.Require("dotnet"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        psi.ArgumentList.Add(ServiceAssembly());
        var environment = new Dictionary<string, string>
        {
            ["CORRECTOMATIC_ENV_FILE"] = "/nonexistent/.env",
            ["REDIS_URL"] = harness.Redis.UnixUrl,
            ["DOCKER_HOST"] = harness.DockerHost,
            ["DOCKER_HOST_ID"] = harness.HostId,
            ["QUEUE_PREFIX"] = harness.Prefix,
            ["COMPLETER_SWEEP_INTERVAL"] = "500ms",
            ["COMPLETER_RECLAIM_IDLE"] = "2s",
            // A container whose job was handed off just before the kill has no entry left: the orphan rule removes it.
            ["COMPLETER_ORPHAN_GRACE"] = "3s",
            ["COMPLETER_HEALTH_LISTEN"] = "http://127.0.0.1:0", // processes of parallel tests must not share a port
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }

        foreach (var (key, value) in environment)
        {
            psi.Environment[key] = value;
        }

        var process = new CompleterProcess(Process.Start(psi) ?? throw new InvalidOperationException("dotnet did not start"), output, name);
        await process._started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        return process;
    }

    /// <summary>As a crash would: no shutdown, nothing acknowledged or cleaned up.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }

        _process.Dispose();
    }

    private static string ServiceAssembly()
    {
        // The service's own build output (its runtimeconfig and deps), found from the test assembly's directory.
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Correctomatic.sln")))
        {
            directory = directory.Parent;
        }

        var configuration = AppContext.BaseDirectory.Contains("/Debug/", StringComparison.Ordinal) ? "Debug" : "Release";
        var path = Path.Combine(directory?.FullName ?? throw new InvalidOperationException("Correctomatic.sln not found above " + AppContext.BaseDirectory),
            "Completer", "bin", configuration, "net10.0", "Correctomatic.Completer.dll");
        return File.Exists(path) ? path : throw new InvalidOperationException($"{path} is missing: build the solution first");
    }
}
