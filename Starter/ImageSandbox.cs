namespace Correctomatic.Starter;

/// <summary>
/// How an image asks to be started (issue #13), read from its label <c>correctomatic.sandbox</c>. Without the label a
/// grader runs as today: a non-root user, no capability. With <c>spawner</c> its PID 1 is the confinement helper
/// (images/confine/): it starts as root with only CAP_SETUID and CAP_SETGID, runs the grader as uid 1000 with no
/// capability, and each submission as uid 1001 — what lets it confine a submission under runc and gVisor alike.
/// </summary>
public enum ImageSandbox
{
    Plain,
    Spawner,
}

public static class ImageSandboxLabel
{
    public const string Name = "correctomatic.sandbox";
    public const string SpawnerValue = "spawner";

    /// <summary>The image's sandbox, or an error naming a label value this Starter does not know (never guessed).</summary>
    public static (ImageSandbox Sandbox, string? Error) Read(IReadOnlyDictionary<string, string>? labels)
    {
        if (labels is null || !labels.TryGetValue(Name, out var value) || string.IsNullOrEmpty(value))
        {
            return (ImageSandbox.Plain, null);
        }

        return value == SpawnerValue
            ? (ImageSandbox.Spawner, null)
            : (ImageSandbox.Plain, $"the image's label {Name}='{value}' is not one this Starter knows (only '{SpawnerValue}')");
    }
}
