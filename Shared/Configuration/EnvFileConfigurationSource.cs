using Microsoft.Extensions.Configuration;

namespace Correctomatic.Shared.Configuration;

/// <summary>Reads a <c>.env</c> file into configuration; a missing file is no error. Added before environment variables, which win.</summary>
public sealed class EnvFileConfigurationSource(string path) : IConfigurationSource
{
    public IConfigurationProvider Build(IConfigurationBuilder builder) => new Provider(path);

    private sealed class Provider(string path) : ConfigurationProvider
    {
        public override void Load()
        {
            Data = File.Exists(path)
                ? EnvFileParser.Parse(File.ReadAllText(path)).ToDictionary(kv => kv.Key, kv => (string?)kv.Value, StringComparer.OrdinalIgnoreCase)
                : new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        }
    }
}
