using System.Collections.Concurrent;
using System.Diagnostics;
using Correctomatic.Tests.Integration.Infrastructure;

namespace Correctomatic.Tests.Integration.Notifier;

/// <summary>The real notifier as its own process (<c>dotnet Correctomatic.Notifier.dll</c>), so a test can kill it or send SIGTERM.</summary>
public sealed class NotifierProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private NotifierProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) { _output.Enqueue(e.Data); } };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { _output.Enqueue(e.Data); } };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Id => _process.Id;
    public bool HasExited => _process.HasExited;
    public string Output => string.Join(Environment.NewLine, _output);

    public static NotifierProcess Start(IReadOnlyDictionary<string, string> settings)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Correctomatic.Notifier.dll");
        var psi = new ProcessStartInfo(ProcessRunner.Require("dotnet"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        psi.ArgumentList.Add(dll);
        psi.Environment["NOTIFIER_HEALTH_LISTEN"] = "http://127.0.0.1:0"; // processes of parallel tests must not share a port
        psi.Environment["CORRECTOMATIC_ENV_FILE"] = Path.Combine(Path.GetTempPath(), "no-such-env-file-" + Guid.NewGuid().ToString("N"));
        foreach (var (key, value) in settings)
        {
            psi.Environment[key] = value;
        }

        return new NotifierProcess(Process.Start(psi) ?? throw new InvalidOperationException("the notifier did not start"));
    }

    /// <summary>SIGKILL: a crash, nothing runs after it.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM, as an orchestrator stops a service; returns the exit code, or null if it did not exit in time.</summary>
    public async Task<int?> TerminateAsync(TimeSpan within)
    {
        var kill = await ProcessRunner.RunAsync(ProcessRunner.Require("kill"), ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        Assert.True(kill.ExitCode == 0, kill.Describe());
        using var cts = new CancellationTokenSource(within);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            return _process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }

        _process.Dispose();
    }
}
