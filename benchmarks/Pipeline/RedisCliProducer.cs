using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Correctomatic.Benchmarks.Pipeline;

/// <summary>
/// Pushes jobs to <c>{prefix}pending</c> through one long-lived <c>redis-cli</c> process, one XADD line each, replies
/// read back in order. redis-cli rather than our Redis client on purpose: the benchmark measures the services, and must
/// keep working unchanged while Shared/Redis is rewritten (issue #12), so it shares no code with the pipeline's Redis
/// side. The entry id redis-cli prints is the job id (the Starter uses the pending entry's id).
/// </summary>
internal sealed partial class RedisCliProducer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly SemaphoreSlim _lock = new(1, 1);

    private RedisCliProducer(Process process) => _process = process;

    public int Pid => _process.Id;

    public static RedisCliProducer Start(string socketPath)
    {
        var psi = new ProcessStartInfo("redis-cli")
        {
            UseShellExecute = false, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        psi.ArgumentList.Add("-s");
        psi.ArgumentList.Add(socketPath);
        var process = Process.Start(psi) ?? throw new InvalidOperationException("redis-cli did not start (run utils/setup.sh)");
        process.StandardInput.AutoFlush = false;
        process.ErrorDataReceived += (_, e) => { if (e.Data is { Length: > 0 } line) { Console.Error.WriteLine("  redis-cli: " + line); } };
        process.BeginErrorReadLine();
        return new RedisCliProducer(process);
    }

    /// <summary>XADDs one entry per <paramref name="data"/> (field <c>data</c>), pipelined; returns the entry ids in order.</summary>
    public async Task<IReadOnlyList<string>> AddAsync(string stream, IReadOnlyList<string> data, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            foreach (var json in data)
            {
                // redis-cli's argument syntax: single quotes take everything up to the next ' literally (our JSON has none).
                if (json.Contains('\'', StringComparison.Ordinal) || json.Contains('\n', StringComparison.Ordinal))
                {
                    throw new ArgumentException("the job's JSON must not contain a single quote or a newline", nameof(data));
                }

                await _process.StandardInput.WriteAsync($"XADD {stream} * data '{json}'\n".AsMemory(), cancellationToken);
            }

            await _process.StandardInput.FlushAsync(cancellationToken);
            var ids = new List<string>(data.Count);
            while (ids.Count < data.Count)
            {
                var line = await _process.StandardOutput.ReadLineAsync(cancellationToken)
                    ?? throw new InvalidOperationException("redis-cli exited");
                ids.Add(EntryId().IsMatch(line) ? line : throw new InvalidOperationException($"XADD answered: {line}"));
            }

            return ids;
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Runs one command whose reply is one line (e.g. XLEN) and returns it.</summary>
    public async Task<string> CommandAsync(string command, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            await _process.StandardInput.WriteAsync((command + "\n").AsMemory(), cancellationToken);
            await _process.StandardInput.FlushAsync(cancellationToken);
            return await _process.StandardOutput.ReadLineAsync(cancellationToken) ?? throw new InvalidOperationException("redis-cli exited");
        }
        finally
        {
            _lock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.StandardInput.Close(); // redis-cli exits at the end of its input
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await _process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill();
            }
        }

        _process.Dispose();
        _lock.Dispose();
    }

    [GeneratedRegex("^[0-9]+-[0-9]+$")]
    private static partial Regex EntryId();
}
