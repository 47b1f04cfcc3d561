using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Correctomatic.Tests.Integration.Pipeline;

/// <summary>
/// Collects the three services' log lines in memory (the last few hundred), so a test that times out can say what the
/// pipeline was doing instead of only that nothing arrived.
/// </summary>
public sealed class PipelineLog : ILoggerProvider
{
    private const int Keep = 400;
    private readonly ConcurrentQueue<string> _lines = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName[(categoryName.LastIndexOf('.') + 1)..]);

    /// <summary>The last <paramref name="count"/> lines, oldest first.</summary>
    public string Tail(int count = 60) => string.Join('\n', _lines.ToArray().TakeLast(count));

    public void Dispose()
    {
    }

    private void Add(string line)
    {
        _lines.Enqueue(line);
        while (_lines.Count > Keep && _lines.TryDequeue(out _))
        {
        }
    }

    private sealed class Logger(PipelineLog log, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                log.Add($"{logLevel} {category}: {formatter(state, exception)}{(exception is null ? "" : " | " + exception.GetType().Name + ": " + exception.Message)}");
            }
        }
    }
}
