using Microsoft.Extensions.Logging;

namespace Correctomatic.Cli.Dashboard;

/// <summary>The dashboard's log lines; the audit line is one per replay or purge (issue #17).</summary>
public static partial class DashboardLog
{
    [LoggerMessage(EventId = 1700, Level = LogLevel.Information, Message = "dashboard on {Address} (read-only: {ReadOnly})")]
    public static partial void Listening(ILogger logger, Uri address, bool readOnly);

    [LoggerMessage(EventId = 1701, Level = LogLevel.Warning, Message = "audit: who={Who} action={Action} ids={Ids} outcome={Outcome}")]
    public static partial void Audit(ILogger logger, string who, string action, string ids, string outcome);

    [LoggerMessage(EventId = 1702, Level = LogLevel.Warning, Message = "dashboard refused {Method} {Path} from {Remote}: {Reason}")]
    public static partial void Refused(ILogger logger, string method, string path, string remote, string reason);
}
