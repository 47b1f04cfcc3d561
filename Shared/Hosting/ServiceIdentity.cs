namespace Correctomatic.Shared.Hosting;

/// <summary>
/// What tells the three services apart to the operations endpoint (issue #16): the name, the setting naming its listen
/// address and the default (loopback, one port each, so the three run side by side on one machine), and its meter.
/// </summary>
public sealed record ServiceIdentity(string Name, string ListenSetting, string DefaultListen, string MeterName)
{
    public static ServiceIdentity Starter { get; } = new("starter", "STARTER_HEALTH_LISTEN", "http://127.0.0.1:9461", "Correctomatic.Starter");
    public static ServiceIdentity Completer { get; } = new("completer", "COMPLETER_HEALTH_LISTEN", "http://127.0.0.1:9462", "Correctomatic.Completer");
    public static ServiceIdentity Notifier { get; } = new("notifier", "NOTIFIER_HEALTH_LISTEN", "http://127.0.0.1:9463", "Correctomatic.Notifier");
}
