using Correctomatic.Shared.Configuration;
using Correctomatic.Shared.Contracts;
using Correctomatic.Shared.Redis;

namespace Correctomatic.Completer;

/// <summary>The completer's settings (issue #6), each in .env.example with its default.</summary>
public sealed record CompleterSettings
{
    public required CommonSettings Common { get; init; }

    /// <summary>DOCKER_HOST_ID: which Docker host this completer serves; null = the engine's own id (docker info ID).</summary>
    public string? DockerHostId { get; init; }

    /// <summary>OUTPUT_LIMIT: bytes read from each of stdout and stderr; more means status output_limit.</summary>
    public int OutputLimitBytes { get; init; } = 1024 * 1024;

    /// <summary>STDERR_TAIL_BYTES: how much of the end of stderr travels with a failed result.</summary>
    public int StderrTailBytes { get; init; } = 2048;

    /// <summary>COMPLETER_SWEEP_INTERVAL: how often our containers are listed (finished ones, deadlines, orphans).</summary>
    public TimeSpan SweepInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>COMPLETER_ORPHAN_GRACE: how long a finished container may wait for its running entry before it is removed.</summary>
    public TimeSpan OrphanGrace { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>COMPLETER_RECLAIM_IDLE: an entry idle this long in a dead completer is reclaimed; live ones renew at a third of it.</summary>
    public TimeSpan ReclaimIdle { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>COMPLETER_CONCURRENCY: containers read and removed at the same time.</summary>
    public int Concurrency { get; init; } = 4;

    /// <summary>
    /// COMPLETER_MAX_COMPLETION_ATTEMPTS: a job whose completion fails this many times for a reason that is not Redis or
    /// the engine being unreachable completes with status error and the reason (or is dead-lettered when even that
    /// cannot be written), instead of being retried every sweep forever (issue #15).
    /// </summary>
    public int MaxCompletionAttempts { get; init; } = 5;

    /// <summary>
    /// COMPLETER_INFRA_RETRIES: how many times a job whose container was ended by the infrastructure (not our deadline,
    /// not the OOM killer: see InfrastructureFault) runs again under the same job id before it completes with status
    /// error naming the cause (issue #15). 0 = never again.
    /// </summary>
    public int InfraRetries { get; init; } = 2;

    /// <summary>COMPLETER_CONSUMER: this completer's consumer name in its group; {host}-{pid}-{random} by default, so a restart never inherits a dead one's entries by name.</summary>
    public required string ConsumerName { get; init; }

    /// <summary>
    /// COMPLETER_OOM_EVENT_GRACE: how long a container killed by SIGKILL that we did not kill, with OOMKilled still false,
    /// waits for the engine's <c>oom</c> event before it is classified. Under load the engine can record the exit before
    /// the OOM (State.OOMKilled then stays false, the event still comes): seen in CI as out_of_memory turned invalid_output.
    /// </summary>
    public TimeSpan OomEventGrace { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// COMPLETER_ENGINE_PING_INTERVAL: how often the completer pings the engine to learn when it could not be reached
    /// (<see cref="Outcome.EngineOutages"/>). A dropped events stream opens an outage at once; the ping closes it.
    /// </summary>
    public TimeSpan EnginePingInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>COMPLETER_READ_BLOCK: how long one read of <c>running</c> blocks waiting for entries (the read loop's heartbeat goes round this often).</summary>
    public TimeSpan ReadBlock { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>COMPLETER_READ_BATCH: running entries taken per read.</summary>
    public int ReadBatch { get; init; } = 16;

    /// <summary>COMPLETER_RECLAIM_BATCH: entries of dead completers taken over per reclaim.</summary>
    public int ReclaimBatch { get; init; } = 100;

    /// <summary>COMPLETER_RETRY_DELAY: how long a loop (read, sweep, renew and reclaim, the event watcher) waits after a failure before it goes on.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// COMPLETER_COMPLETION_TIMEOUT: the longest one completion may take (inspect, logs, hand-off, removal), at any time
    /// and at shutdown alike; after it the completion is abandoned (counted as a failed attempt) and its entry stays
    /// un-acknowledged, for the sweep or the reclaim to complete it again.
    /// </summary>
    public TimeSpan CompletionTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan RenewInterval => ReclaimIdle / 3;

    public static CompleterSettings Read(SettingsReader reader)
    {
        var settings = ReadValues(reader);
        if (settings.OrphanGrace <= settings.ReclaimIdle)
        {
            // A dead completer's entries must be reclaimed before a live one gives their finished containers up as orphans.
            reader.AddError($"COMPLETER_ORPHAN_GRACE={Durations.Format(settings.OrphanGrace)} must be longer than COMPLETER_RECLAIM_IDLE={Durations.Format(settings.ReclaimIdle)}");
        }

        return settings;
    }

    private static CompleterSettings ReadValues(SettingsReader reader)
    {
        // The defaults are the initialisers above, written once: an unset variable keeps its property's initial value.
        var defaults = new CompleterSettings
        {
            Common = CommonSettings.Read(reader),
            ConsumerName = reader.String("COMPLETER_CONSUMER", StreamQueueOptions.UniqueConsumerName()),
        };
        return defaults with
        {
            DockerHostId = reader.OptionalString("DOCKER_HOST_ID"),
            OutputLimitBytes = reader.Int("OUTPUT_LIMIT", defaults.OutputLimitBytes, 1024, 256 * 1024 * 1024),
            StderrTailBytes = reader.Int("STDERR_TAIL_BYTES", defaults.StderrTailBytes, 0, 64 * 1024),
            SweepInterval = reader.Duration("COMPLETER_SWEEP_INTERVAL", defaults.SweepInterval, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(10)),
            OrphanGrace = reader.Duration("COMPLETER_ORPHAN_GRACE", defaults.OrphanGrace, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1)),
            ReclaimIdle = reader.Duration("COMPLETER_RECLAIM_IDLE", defaults.ReclaimIdle, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1)),
            Concurrency = reader.Int("COMPLETER_CONCURRENCY", defaults.Concurrency, 1, 64),
            OomEventGrace = reader.Duration("COMPLETER_OOM_EVENT_GRACE", defaults.OomEventGrace, TimeSpan.Zero, TimeSpan.FromSeconds(30)),
            MaxCompletionAttempts = reader.Int("COMPLETER_MAX_COMPLETION_ATTEMPTS", defaults.MaxCompletionAttempts, 1, 1000),
            InfraRetries = reader.Int("COMPLETER_INFRA_RETRIES", defaults.InfraRetries, 0, JobAttempt.MaxAttempt - 1),
            EnginePingInterval = reader.Duration("COMPLETER_ENGINE_PING_INTERVAL", defaults.EnginePingInterval, TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1)),
            ReadBlock = reader.Duration("COMPLETER_READ_BLOCK", defaults.ReadBlock, TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(1)),
            ReadBatch = reader.Int("COMPLETER_READ_BATCH", defaults.ReadBatch, 1, 10_000),
            ReclaimBatch = reader.Int("COMPLETER_RECLAIM_BATCH", defaults.ReclaimBatch, 1, 10_000),
            RetryDelay = reader.Duration("COMPLETER_RETRY_DELAY", defaults.RetryDelay, TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(10)),
            CompletionTimeout = reader.Duration("COMPLETER_COMPLETION_TIMEOUT", defaults.CompletionTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1)),
        };
    }
}
