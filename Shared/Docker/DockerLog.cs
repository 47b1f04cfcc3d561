using Microsoft.Extensions.Logging;

namespace Correctomatic.Shared.Docker;

/// <summary>The Docker client's log lines (source-generated, STYLE habit 6). Registry credentials never appear here.</summary>
internal static partial class DockerLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Docker engine at {Endpoint}: API version {ApiVersion}")]
    public static partial void Negotiated(ILogger logger, string endpoint, string apiVersion);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning,
        Message = "Docker events from {Endpoint}: connection lost, resuming since {Since} in {RetryMs} ms")]
    public static partial void EventsReconnecting(ILogger logger, string endpoint, string? since, long retryMs);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Debug, Message = "Docker events from {Endpoint}: subscription ended: {Reason}")]
    public static partial void EventsEnded(ILogger logger, string endpoint, string reason);
}
