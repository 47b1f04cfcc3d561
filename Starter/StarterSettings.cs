using Correctomatic.Shared.Configuration;
using Correctomatic.Shared.Docker;

namespace Correctomatic.Starter;

/// <summary>
/// Everything the starter reads from the environment (issue #5). Each setting is in .env.example with its default.
/// Container sandboxing defaults are the ones a security reviewer would accept; each one can be loosened by name.
/// </summary>
public sealed record StarterSettings
{
    public required CommonSettings Common { get; init; }

    /// <summary>DOCKER_HOST_ID; null means "ask the engine" (its info ID).</summary>
    public string? DockerHostId { get; init; }

    public required IReadOnlyList<string> AllowedImages { get; init; }
    public required string? SubmissionsDir { get; init; }
    public required long MaxFileBytes { get; init; }
    public required LimitsPolicy Limits { get; init; }

    /// <summary>Param names a job may not set: the built-in list plus REFUSED_PARAMS.</summary>
    public RefusedParams RefusedParams { get; init; } = RefusedParams.Default;
    public required SandboxSettings Sandbox { get; init; }

    public required bool PullImages { get; init; }
    public required TimeSpan PullTimeout { get; init; }
    public RegistryCredentials? RegistryCredentials { get; init; }

    public required bool RequireJobToken { get; init; }
    public string? JobTokenKeyFile { get; init; }
    [Secret]
    public string? JobTokenSecret { get; init; }

    /// <summary>JOB_TOKEN_RERUN_GRACE: how long after its first attempt a rerun's token is checked at that attempt's time.</summary>
    public TimeSpan JobTokenRerunGrace { get; init; } = TimeSpan.FromHours(1);

    public required int Concurrency { get; init; }
    public required int MaxRunningContainers { get; init; }

    /// <summary>Jobs started per minute; 0 turns the rate limit off.</summary>
    public required int RateLimitPerMinute { get; init; }

    public required TimeSpan ReadBlock { get; init; }
    public required TimeSpan ReclaimInterval { get; init; }
    public required TimeSpan ReclaimMinIdle { get; init; }

    /// <summary>STARTER_RETRY_DELAY: how long the read and reclaim loops wait after a failure before they go on.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Like the generated one, with JOB_TOKEN_SECRET and the registry password hidden (issue #16).</summary>
    public override string ToString() => SettingsPrinter.Print(this);

    public static StarterSettings Read(SettingsReader reader)
    {
        var common = CommonSettings.Read(reader);
        var allowed = reader.List("ALLOWED_IMAGES", ["correctomatic/*"]);
        foreach (var pattern in allowed)
        {
            if (!ImageAllowlist.IsValidPattern(pattern))
            {
                reader.AddError($"ALLOWED_IMAGES: '{pattern}' is not an image pattern (letters, digits, . _ - / : @ and the globs * ?)");
            }
        }

        var refusedExtra = reader.List("REFUSED_PARAMS", []);
        foreach (var pattern in refusedExtra.Where(p => !RefusedParams.IsValidPattern(p)))
        {
            reader.AddError($"REFUSED_PARAMS: '{pattern}' is not an environment name, optionally ending in * (e.g. LD_*, NODE_OPTIONS)");
        }

        var requireToken = reader.Bool("REQUIRE_JOB_TOKEN", false);
        var keyFile = reader.OptionalString("JOB_TOKEN_KEY_FILE");
        var secret = reader.OptionalString("JOB_TOKEN_SECRET");
        if (requireToken && keyFile is null && secret is null)
        {
            reader.AddError("REQUIRE_JOB_TOKEN=true needs JOB_TOKEN_KEY_FILE (ES256 PEM) or JOB_TOKEN_SECRET (HS256, 32+ bytes)");
        }

        if (keyFile is not null && !File.Exists(keyFile))
        {
            reader.AddError($"JOB_TOKEN_KEY_FILE='{keyFile}' does not exist");
        }

        var registryUser = reader.OptionalString("REGISTRY_USERNAME");
        var registryPassword = reader.OptionalString("REGISTRY_PASSWORD");
        if ((registryUser is null) != (registryPassword is null))
        {
            reader.AddError("REGISTRY_USERNAME and REGISTRY_PASSWORD go together: set both or neither");
        }

        var limits = LimitsPolicy.Read(reader);
        var maxRunning = reader.Int("MAX_RUNNING_CONTAINERS", 32, 1, 100_000);
        var settings = new StarterSettings
        {
            Common = common,
            DockerHostId = reader.OptionalString("DOCKER_HOST_ID"),
            AllowedImages = allowed,
            SubmissionsDir = reader.OptionalString("SUBMISSIONS_DIR"),
            MaxFileBytes = reader.Long("MAX_FILE_BYTES", 10L * 1024 * 1024, 1, 1L << 30),
            Limits = limits,
            RefusedParams = new RefusedParams(refusedExtra),
            Sandbox = SandboxSettings.Read(reader) with { ProcessLimit = limits.Maximum.Pids * maxRunning },
            PullImages = reader.Bool("PULL_IMAGES", false),
            PullTimeout = reader.Duration("PULL_TIMEOUT", TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(1), TimeSpan.FromHours(1)),
            RegistryCredentials = registryUser is not null && registryPassword is not null
                ? new RegistryCredentials(registryUser, registryPassword, reader.OptionalString("REGISTRY_SERVER"))
                : null,
            RequireJobToken = requireToken,
            JobTokenKeyFile = keyFile,
            JobTokenSecret = secret,
            JobTokenRerunGrace = reader.Duration("JOB_TOKEN_RERUN_GRACE", TimeSpan.FromHours(1), TimeSpan.Zero, TimeSpan.FromDays(1)),
            Concurrency = reader.Int("STARTER_CONCURRENCY", 4, 1, 256),
            MaxRunningContainers = maxRunning,
            RateLimitPerMinute = reader.Int("STARTER_RATE_LIMIT_PER_MINUTE", 0, 0, 1_000_000),
            ReadBlock = reader.Duration("STARTER_READ_BLOCK", TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(1)),
            ReclaimInterval = reader.Duration("STARTER_RECLAIM_INTERVAL", TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1)),
            ReclaimMinIdle = reader.Duration("STARTER_RECLAIM_MIN_IDLE", TimeSpan.FromMinutes(2), TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1)),
            RetryDelay = reader.Duration("STARTER_RETRY_DELAY", TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(10)),
        };
        if (settings.ReclaimInterval >= settings.ReclaimMinIdle)
        {
            // Jobs in hand are renewed once per interval: a longer interval would let other starters reclaim live work.
            reader.AddError("STARTER_RECLAIM_INTERVAL must be shorter than STARTER_RECLAIM_MIN_IDLE");
        }

        return settings;
    }
}
