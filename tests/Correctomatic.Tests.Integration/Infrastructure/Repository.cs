namespace Correctomatic.Tests.Integration.Infrastructure;

/// <summary>The checkout the tests run from: the directory above the test binaries that holds Correctomatic.sln.</summary>
public static class Repository
{
    public static string Root { get; } = Find();

    /// <summary>A service's own build output (dotnet build -c Release), as utils/demo-run.sh and the benchmarks run it.</summary>
    public static string ServiceDll(string service) =>
        Path.Combine(Root, service, "bin", "Release", "net10.0", $"Correctomatic.{service}.dll");

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Correctomatic.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Correctomatic.sln not found above " + AppContext.BaseDirectory);
    }
}
