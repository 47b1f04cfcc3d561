using System.Globalization;
using Correctomatic.Shared.Docker;

namespace Correctomatic.Starter;

/// <summary>
/// Sizes the grader container's json-file log so that output over OUTPUT_LIMIT is always seen as such (issue #14).
/// </summary>
/// <remarks>
/// The engine rotates a json-file log at max-size. With one file (the old setting, 10m) rotation truncates it: a
/// grader printing a little over max-size left only a short tail, under the cap, and the completer classified that
/// tail. With two files, the full file before the current one is always kept, so after any rotation the completer reads
/// at least max-size bytes of JSON lines. A JSON line holds at most 71 bytes per byte printed (a lone "\n" becomes
/// <c>{"log":"\n","stream":"stdout","time":"…30 chars…"}</c> + newline), so a kept file of
/// <see cref="MinMaxSizeBytes"/> holds more than 2 × OUTPUT_LIMIT printed bytes: one of stdout or stderr is over the
/// cap, and the job is <c>output_limit</c>. The cost is disk: at most 2 × max-size per container while it lives.
/// </remarks>
public static class ContainerLogPolicy
{
    public const int DefaultOutputLimitBytes = 1024 * 1024;
    public const int MaxFiles = 2;

    /// <summary>An upper bound of json-file bytes per byte printed (71, rounded up).</summary>
    public const long JsonBytesPerPrintedByte = 72;

    /// <summary>The smallest max-size that still proves "over the cap" after a rotation; 128 KiB covers one 16 KiB line split by the engine.</summary>
    public static long MinMaxSizeBytes(long outputLimitBytes) => (JsonBytesPerPrintedByte * ((2 * outputLimitBytes) + 1)) + (128 * 1024);

    public static LogConfig? LogConfig(SandboxSettings sandbox) => sandbox.LogMaxSize is { } size
        ? new LogConfig("json-file", new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["max-size"] = size,
            ["max-file"] = sandbox.LogMaxFiles.ToString(CultureInfo.InvariantCulture),
        })
        : null;

    /// <summary>Bytes of a size the engine understands (bytes, or a k/m/g suffix, 1024-based); null when it is not one.</summary>
    public static long? ParseSize(string text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var (digits, scale) = char.ToLowerInvariant(text[^1]) switch
        {
            'k' => (text[..^1], 1024L),
            'm' => (text[..^1], 1024L * 1024),
            'g' => (text[..^1], 1024L * 1024 * 1024),
            _ => (text, 1L),
        };
        return digits.Length is > 0 and <= 12 && digits.All(char.IsAsciiDigit)
            ? long.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture) * scale // ≤ 12 digits × 2^30 fits a long
            : null;
    }
}
