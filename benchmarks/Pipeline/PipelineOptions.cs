using System.Globalization;

namespace Correctomatic.Benchmarks.Pipeline;

/// <summary>bench-pipeline's command line; <see cref="Parse"/> returns null and prints why on a bad one.</summary>
internal sealed record PipelineOptions
{
    public const string Usage =
        "usage: utils/bench-pipeline.sh [--jobs N=100] [--warmup W=200] [--concurrency C=4] [--rounds R=2] [--runtime runc|runsc] "
        + "[--redis-fsync always|everysec] [--idle-samples K=5] [--service-env NAME=VALUE]... [--image NAME] [--image-cmd JSON] [--run-id ID] [--sandboxed]";

    /// <summary>The grader every side runs (a passing submission for grader-shell's contract: EXPECTED=hello, prints hello).</summary>
    public string Image { get; init; } = "correctomatic/grader-shell:latest";

    /// <summary>
    /// The image's CMD (an image with an ENTRYPOINT cannot be used: ContainerSpec has none to override), which the bare
    /// baseline execs after writing the file. ImageInfo does not carry it, so utils/bench-pipeline.sh reads it with the
    /// docker CLI. The default is grader-shell's on main.
    /// </summary>
    public IReadOnlyList<string> ImageCmd { get; init; } = ["/bin/sh", "/grader/grade.sh"];

    public int Jobs { get; init; } = 100;

    /// <summary>
    /// Pipeline jobs run before anything is measured, so that the services' tiered JIT has settled (measured here: CPU per
    /// job still falls for the first ~200 jobs after a start). Their throughput and CPU are printed as the cold figures.
    /// </summary>
    public int Warmup { get; init; } = 200;

    /// <summary>The Starter's STARTER_CONCURRENCY default (and COMPLETER_CONCURRENCY's): the baselines run this many lifecycles at once.</summary>
    public int Concurrency { get; init; } = 4;

    public int Rounds { get; init; } = 2;
    public string Runtime { get; init; } = "runc";

    /// <summary>null: the private Redis has no persistence; else AOF with this appendfsync.</summary>
    public string? RedisFsync { get; init; }

    /// <summary>One-job latencies measured per side, the median printed.</summary>
    public int IdleSamples { get; init; } = 5;

    /// <summary>A fourth side in the rounds: the Starter's own container driven directly (<see cref="BaselineKind.Sandboxed"/>).</summary>
    public bool Sandboxed { get; init; }

    /// <summary>Extra environment for the three services only (runtime knobs such as DOTNET_GCConserveMemory=5).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ServiceEnv { get; init; } = [];

    /// <summary>Names this run's queue prefix, container labels and names, so that utils/bench-pipeline.sh can sweep them.</summary>
    public string RunId { get; init; } = Guid.NewGuid().ToString("N")[..10];

    public int JobsPerRound => Math.Max(1, Jobs / Rounds);

    public static PipelineOptions? Parse(string[] args)
    {
        var options = new PipelineOptions();
        var env = new List<KeyValuePair<string, string>>();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--sandboxed")
            {
                options = options with { Sandboxed = true };
                continue;
            }

            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--jobs" when Positive(value) is { } n: options = options with { Jobs = n }; break;
                case "--warmup" when Positive(value) is { } n: options = options with { Warmup = n }; break;
                case "--concurrency" when Positive(value) is { } n: options = options with { Concurrency = n }; break;
                case "--rounds" when Positive(value) is { } n: options = options with { Rounds = n }; break;
                case "--idle-samples" when Positive(value) is { } n: options = options with { IdleSamples = n }; break;
                case "--runtime" when value is "runc" or "runsc": options = options with { Runtime = value }; break;
                case "--redis-fsync" when value is "always" or "everysec": options = options with { RedisFsync = value }; break;
                case "--image" when value is { Length: > 0 }: options = options with { Image = value }; break;
                case "--image-cmd" when ParseCmd(value) is { } cmd: options = options with { ImageCmd = cmd }; break;
                case "--run-id" when value is { Length: > 0 and <= 32 } && value.All(char.IsAsciiLetterOrDigit): options = options with { RunId = value }; break;
                case "--service-env" when value?.IndexOf('=', StringComparison.Ordinal) is int equals and > 0:
                    env.Add(new(value[..equals], value[(equals + 1)..]));
                    break;
                default:
                    Console.Error.WriteLine($"bench-pipeline: bad option '{args[i]}'{(value is null ? "" : $" '{value}'")}");
                    Console.Error.WriteLine(Usage);
                    return null;
            }

            i++;
        }

        if (options.Rounds > options.Jobs)
        {
            Console.Error.WriteLine("bench-pipeline: --rounds must not exceed --jobs");
            return null;
        }

        return options with { ServiceEnv = env };
    }

    private static string[]? ParseCmd(string? json)
    {
        try
        {
            return json is null ? null : System.Text.Json.JsonSerializer.Deserialize<string[]>(json) is { Length: > 0 } cmd ? cmd : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private static int? Positive(string? value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : null;
}
