using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Correctomatic.Shared.Configuration;

/// <summary>
/// Reads typed settings by their environment name and collects every problem, so that a service with bad settings
/// stops at start with one message that names each bad setting (STYLE habit 5).
/// </summary>
public sealed class SettingsReader(IConfiguration configuration)
{
    private readonly List<string> _errors = [];

    public IReadOnlyList<string> Errors => _errors;

    /// <summary>
    /// The setting's value, trimmed; null when unset or empty. When unset, <c>{name}_FILE</c> may name a file holding it
    /// (Docker/compose secrets, systemd credentials: issue #16), so a secret need not sit in the environment.
    /// </summary>
    public string? Raw(string name)
    {
        var value = configuration[name];
        if (string.IsNullOrWhiteSpace(value) && !name.EndsWith("_FILE", StringComparison.Ordinal) && configuration[name + "_FILE"] is { } path
            && !string.IsNullOrWhiteSpace(path))
        {
            try
            {
                value = File.ReadAllText(path.Trim());
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                // The message names the file, never its content.
                _errors.Add($"{name}_FILE='{path.Trim()}' cannot be read: {ex.Message}");
                return null;
            }
        }

        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    /// <summary>True when the setting is present but empty (e.g. <c>NAME=</c>), which some settings read as "off".</summary>
    public bool IsSetEmpty(string name) => configuration[name] is { } value && string.IsNullOrWhiteSpace(value);

    public string String(string name, string defaultValue) => Raw(name) ?? defaultValue;

    public string? OptionalString(string name) => Raw(name);

    public string RequiredString(string name)
    {
        var value = Raw(name);
        if (value is null)
        {
            _errors.Add($"{name} is required");
        }

        return value ?? "";
    }

    public int Int(string name, int defaultValue, int min, int max) => (int)Long(name, defaultValue, min, max);

    public long Long(string name, long defaultValue, long min, long max)
    {
        var raw = Raw(name);
        if (raw is null)
        {
            return defaultValue;
        }

        if (!long.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            _errors.Add($"{name}='{raw}' is not a whole number");
            return defaultValue;
        }

        if (value < min || value > max)
        {
            _errors.Add($"{name}={value} is out of range [{min}, {max}]");
        }

        return value;
    }

    public double Double(string name, double defaultValue, double min, double max)
    {
        var raw = Raw(name);
        if (raw is null)
        {
            return defaultValue;
        }

        if (!double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            _errors.Add($"{name}='{raw}' is not a number");
            return defaultValue;
        }

        if (value < min || value > max)
        {
            _errors.Add($"{name}={raw} is out of range [{min}, {max}]");
        }

        return value;
    }

    public bool Bool(string name, bool defaultValue)
    {
        var raw = Raw(name);
        switch (raw?.ToLowerInvariant())
        {
            case null: return defaultValue;
            case "1" or "true" or "yes" or "on": return true;
            case "0" or "false" or "no" or "off": return false;
            default:
                _errors.Add($"{name}='{raw}' is not a boolean (true/false)");
                return defaultValue;
        }
    }

    public TimeSpan Duration(string name, TimeSpan defaultValue, TimeSpan min, TimeSpan max)
    {
        var raw = Raw(name);
        if (raw is null)
        {
            return defaultValue;
        }

        if (!Durations.TryParse(raw, out var value))
        {
            _errors.Add($"{name}='{raw}' is not a duration (e.g. 250ms, 30s, 5m, 2h, 1d)");
            return defaultValue;
        }

        if (value < min || value > max)
        {
            _errors.Add($"{name}={raw} is out of range [{Durations.Format(min)}, {Durations.Format(max)}]");
        }

        return value;
    }

    public IReadOnlyList<string> List(string name, IReadOnlyList<string> defaultValue)
    {
        var raw = Raw(name);
        return raw is null ? defaultValue : raw.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    /// <summary>Records a problem found by a check the reader cannot express.</summary>
    public void AddError(string message) => _errors.Add(message);

    public void ThrowIfInvalid()
    {
        if (_errors.Count > 0)
        {
            throw new InvalidSettingsException(_errors);
        }
    }
}
