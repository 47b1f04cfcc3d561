using System.Runtime.InteropServices;
using Correctomatic.Shared.Docker;

namespace Correctomatic.Benchmarks.Pipeline;

/// <summary>
/// Issue #12's regression check (also issue #14's and #15's): the same grading job, N times, through the three services
/// run as processes (Starter, Completer, Notifier on a private redis-server, callbacks to a Kestrel receiver in this
/// process) and straight through the Engine API at the same concurrency, in one run, rounds interleaved so that the
/// drift of a shared machine falls on every side alike. Prints throughput and its ratios, the idle one-job latency of
/// each side, and each service's RSS idle and at peak. Figures, not a timed test.
/// </summary>
public static class PipelineBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (PipelineOptions.Parse(args) is not { } options)
        {
            return 2;
        }

        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => { context.Cancel = true; stop.Cancel(); });
        var host = Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 } h ? h : "unix:///var/run/docker.sock";
        using var docker = DockerClient.Create(host);
        var work = Directory.CreateTempSubdirectory("ct-bench-pipeline-");
        var run = new PipelineRun(options, docker, work.FullName);
        try
        {
            return await run.RunAsync(host, stop.Token);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            Console.Error.WriteLine("bench-pipeline: interrupted; cleaning up");
            return 130;
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or DockerApiException or IOException)
        {
            Console.Error.WriteLine("bench-pipeline: " + ex.Message);
            run.PrintServiceLogs();
            return 1;
        }
        finally
        {
            await run.DisposeAsync();
            work.Delete(recursive: true);
        }
    }

    /// <summary>
    /// CPU time the whole machine spent busy so far (every core; /proc/stat's first line: user, nice, system, irq and softirq;
    /// not idle, iowait or steal), so a side's cost per job covers the engine, containerd, the shims and runc as well as our
    /// services.
    /// </summary>
    internal static TimeSpan MachineBusy()
    {
        if (!File.Exists("/proc/stat"))
        {
            return TimeSpan.Zero;
        }

        var ticks = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(7).Select(long.Parse).ToArray();
        const double ticksPerSecond = 100; // USER_HZ, 100 on Linux for every architecture we run on
        return TimeSpan.FromSeconds((ticks.Sum() - ticks[3] - ticks[4]) / ticksPerSecond);
    }

    internal static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
