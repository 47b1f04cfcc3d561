using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Correctomatic.Tests.Integration.Completer;

/// <summary>The completer's log lines in the test's output, so a failing test shows what the completer saw.</summary>
internal sealed class TestOutputLogger<T>(ITestOutputHelper output, string name) : ILogger<T>
{
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        try
        {
            output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} [{name}] {logLevel}: {formatter(state, exception)}{(exception is null ? "" : " " + exception.GetType().Name + ": " + exception.Message)}");
        }
        catch (InvalidOperationException)
        {
            // the test already ended
        }
    }
}
