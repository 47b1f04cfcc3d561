using System.Diagnostics;
using Correctomatic.Benchmarks.Notifier;

namespace Correctomatic.Benchmarks.Pipeline;

/// <summary>
/// One of the three services as its own process (<c>dotnet X/bin/Release/net10.0/Correctomatic.X.dll</c>, as
/// utils/demo-run.sh starts them; built with the benchmarks), with its
/// resident set sampled from /proc. Its output goes to a log file in the run's temp dir, shown when something fails.
/// </summary>
internal sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;

    private ServiceProcess(string name, Process process, StreamWriter log, string logPath)
    {
        Name = name;
        _process = process;
        _log = log;
        LogPath = logPath;
        Rss = new RssSampler(process.Id);
    }

    public string Name { get; }
    public int Pid => _process.Id;
    public bool HasExited => _process.HasExited;
    public string LogPath { get; }
    public RssSampler Rss { get; }

    public static ServiceProcess Start(string name, IReadOnlyDictionary<string, string> environment, string logDirectory)
    {
        var psi = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(DllPath(name));
        foreach (var (key, value) in environment)
        {
            psi.Environment[key] = value;
        }

        var logPath = Path.Combine(logDirectory, name.ToLowerInvariant() + ".log");
        var log = new StreamWriter(logPath) { AutoFlush = true };
        var process = Process.Start(psi) ?? throw new InvalidOperationException($"the {name} did not start");
        DataReceivedEventHandler write = (_, e) =>
        {
            if (e.Data is { } line)
            {
                lock (log)
                {
                    log.WriteLine(line);
                }
            }
        };
        process.OutputDataReceived += write;
        process.ErrorDataReceived += write;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ServiceProcess(name, process, log, logPath);
    }

    /// <summary>
    /// The service's own build output, same configuration as this benchmark's (benchmarks/bin/Release/net10.0 → X/bin/Release/net10.0),
    /// or its publish under BENCH_PIPELINE_SERVICES.
    /// </summary>
    private static string DllPath(string name)
    {
        if (Environment.GetEnvironmentVariable("BENCH_PIPELINE_SERVICES") is { Length: > 0 } published)
        {
            return Path.Combine(published, name, $"Correctomatic.{name}.dll");
        }

        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/')); // .../benchmarks/bin/Release/net10.0
        var repo = output.Parent!.Parent!.Parent!.Parent!.FullName;
        var dll = Path.Combine(repo, name, "bin", output.Parent.Name, output.Name, $"Correctomatic.{name}.dll");
        return File.Exists(dll) ? dll : throw new InvalidOperationException($"{dll} is not built; run dotnet build benchmarks -c Release");
    }

    /// <summary>The last lines of its log, for a failure message.</summary>
    public string Tail(int lines)
    {
        lock (_log)
        {
            _log.Flush();
        }

        using var reader = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var all = new StreamReader(reader).ReadToEnd().Split('\n');
        return string.Join('\n', all.TakeLast(lines));
    }

    /// <summary>SIGTERM (the services finish what they hold and exit), then SIGKILL after a grace.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            using (var kill = Process.Start("kill", ["-TERM", Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try
            {
                await _process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }

        _process.Dispose();
        lock (_log)
        {
            _log.Dispose();
        }
    }
}
