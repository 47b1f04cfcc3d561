using System.Net;
using Correctomatic.Shared.Configuration;

namespace Correctomatic.Notifier;

/// <summary>
/// The notifier's settings (issue #7), read once at start; a bad one stops the service naming it. Every name is in
/// .env.example with its default. No signing secret has a default: the service refuses to start without a key.
/// </summary>
public sealed record NotifierSettings
{
    public required CommonSettings Common { get; init; }

    /// <summary>ES256 private key (PEM file), or null when <see cref="SigningSecret"/> is used.</summary>
    public string? SigningKeyFile { get; init; }

    [Secret]
    public string? SigningKeyPassword { get; init; }

    /// <summary>HS256 shared secret (at least 32 bytes), or null when <see cref="SigningKeyFile"/> is used.</summary>
    [Secret]
    public string? SigningSecret { get; init; }

    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(10);
    public int MaxAttempts { get; init; } = 30;
    public TimeSpan MaxAge { get; init; } = TimeSpan.FromHours(24);
    public TimeSpan BackoffBase { get; init; } = TimeSpan.FromSeconds(2);
    public TimeSpan BackoffMax { get; init; } = TimeSpan.FromHours(1);

    /// <summary>How many HTTP requests may be in flight at once.</summary>
    public int Concurrency { get; init; } = 64;

    /// <summary>How many entries this notifier holds un-acknowledged at once (in flight or waiting for a retry).</summary>
    public int MaxHeld { get; init; } = 10_000;

    /// <summary>Requests in flight to one callback host at once (a hung receiver holds no more slots than this).</summary>
    public int MaxInFlightPerHost { get; init; } = 16;

    /// <summary>Requests per second to one callback host; 0 = unlimited.</summary>
    public double PerHostRate { get; init; }

    public IReadOnlyList<IPNetwork> AllowedNetworks { get; init; } = [];

    /// <summary>An entry idle this long in another notifier's pending list is presumed orphaned and reclaimed.</summary>
    public TimeSpan ReclaimIdle { get; init; } = TimeSpan.FromMinutes(2);

    public TimeSpan ReclaimInterval { get; init; } = TimeSpan.FromSeconds(30);
    public TimeSpan ReadBlock { get; init; } = TimeSpan.FromSeconds(2);
    public int ReadBatch { get; init; } = 256;

    /// <summary>NOTIFIER_RETRY_DELAY: how long the read and reclaim loops wait after a failure before they go on.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>After SIGTERM, in-flight deliveries get this long to finish; the rest stay un-acknowledged.</summary>
    public TimeSpan ShutdownGrace { get; init; } = TimeSpan.FromSeconds(20);

    public string ConsumerName { get; init; } = Environment.MachineName + "-" + Environment.ProcessId;

    /// <summary>Like the generated one, with the signing secret and key password hidden (issue #16).</summary>
    public override string ToString() => SettingsPrinter.Print(this);

    public static NotifierSettings Read(SettingsReader reader)
    {
        var keyFile = reader.OptionalString("CALLBACK_SIGNING_KEY_FILE");
        var secret = reader.OptionalString("CALLBACK_SIGNING_SECRET");
        if (keyFile is null == secret is null)
        {
            reader.AddError("set exactly one of CALLBACK_SIGNING_KEY_FILE (ES256 PEM private key) or CALLBACK_SIGNING_SECRET (HS256, >= 32 bytes): callbacks are always signed");
        }

        var networks = new List<IPNetwork>();
        foreach (var cidr in reader.List("CALLBACK_ALLOWED_NETWORKS", []))
        {
            if (IPNetwork.TryParse(cidr, out var network))
            {
                networks.Add(network);
            }
            else
            {
                reader.AddError($"CALLBACK_ALLOWED_NETWORKS: '{cidr}' is not a CIDR (e.g. 10.0.0.0/8, 127.0.0.0/8, fd00::/8)");
            }
        }

        // The defaults are the initialisers above, written once: an unset variable keeps its property's initial value.
        var defaults = new NotifierSettings { Common = CommonSettings.Read(reader) };
        var settings = defaults with
        {
            SigningKeyFile = keyFile,
            SigningKeyPassword = reader.OptionalString("CALLBACK_SIGNING_KEY_PASSWORD"),
            SigningSecret = secret,
            AttemptTimeout = reader.Duration("CALLBACK_TIMEOUT", defaults.AttemptTimeout, TimeSpan.FromMilliseconds(50), TimeSpan.FromMinutes(10)),
            MaxAttempts = reader.Int("CALLBACK_MAX_ATTEMPTS", defaults.MaxAttempts, 1, 10_000),
            MaxAge = reader.Duration("CALLBACK_MAX_AGE", defaults.MaxAge, TimeSpan.FromSeconds(1), TimeSpan.FromDays(30)),
            BackoffBase = reader.Duration("CALLBACK_BACKOFF_BASE", defaults.BackoffBase, TimeSpan.FromMilliseconds(1), TimeSpan.FromHours(1)),
            BackoffMax = reader.Duration("CALLBACK_BACKOFF_MAX", defaults.BackoffMax, TimeSpan.FromMilliseconds(1), TimeSpan.FromDays(1)),
            Concurrency = reader.Int("NOTIFIER_CONCURRENCY", defaults.Concurrency, 1, 10_000),
            MaxHeld = reader.Int("NOTIFIER_MAX_HELD", defaults.MaxHeld, 1, 1_000_000),
            MaxInFlightPerHost = reader.Int("CALLBACK_MAX_IN_FLIGHT_PER_HOST", defaults.MaxInFlightPerHost, 1, 10_000),
            PerHostRate = reader.Double("CALLBACK_RATE_PER_HOST", defaults.PerHostRate, 0, 1_000_000),
            AllowedNetworks = networks,
            ReclaimIdle = reader.Duration("NOTIFIER_RECLAIM_IDLE", defaults.ReclaimIdle, TimeSpan.FromMilliseconds(200), TimeSpan.FromDays(1)),
            ReclaimInterval = reader.Duration("NOTIFIER_RECLAIM_INTERVAL", defaults.ReclaimInterval, TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1)),
            ReadBlock = reader.Duration("NOTIFIER_READ_BLOCK", defaults.ReadBlock, TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(1)),
            ReadBatch = reader.Int("NOTIFIER_READ_BATCH", defaults.ReadBatch, 1, 10_000),
            RetryDelay = reader.Duration("NOTIFIER_RETRY_DELAY", defaults.RetryDelay, TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(10)),
            ShutdownGrace = reader.Duration("NOTIFIER_SHUTDOWN_GRACE", defaults.ShutdownGrace, TimeSpan.Zero, TimeSpan.FromMinutes(10)),
            ConsumerName = reader.String("NOTIFIER_CONSUMER", defaults.ConsumerName),
        };
        if (settings.BackoffMax < settings.BackoffBase)
        {
            reader.AddError("CALLBACK_BACKOFF_MAX must not be below CALLBACK_BACKOFF_BASE");
        }

        return settings;
    }
}
