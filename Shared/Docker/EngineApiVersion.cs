using System.Globalization;

namespace Correctomatic.Shared.Docker;

/// <summary>An Engine API version such as 1.41, compared numerically (1.9 &lt; 1.41).</summary>
internal readonly record struct EngineApiVersion(int Major, int Minor) : IComparable<EngineApiVersion>
{
    /// <summary>The newest version this client is written against (the engine here: Docker 20.10, API 1.41).</summary>
    public static readonly EngineApiVersion ClientMax = new(1, 41);

    /// <summary>The oldest with everything we send: Mounts, NanoCpus (1.25) and wait conditions (1.30).</summary>
    public static readonly EngineApiVersion ClientMin = new(1, 30);

    public static bool TryParse(string? text, out EngineApiVersion version)
    {
        version = default;
        var parts = text?.Trim().Split('.');
        if (parts is not { Length: 2 }
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var major)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var minor))
        {
            return false;
        }

        version = new EngineApiVersion(major, minor);
        return true;
    }

    /// <summary>As the docker CLI negotiates: the lower of the engine's version and ours.</summary>
    public static EngineApiVersion Negotiate(EngineApiVersion engine) => engine.CompareTo(ClientMax) < 0 ? engine : ClientMax;

    public int CompareTo(EngineApiVersion other) => Major != other.Major ? Major.CompareTo(other.Major) : Minor.CompareTo(other.Minor);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Major}.{Minor}");
}
