using Correctomatic.Shared.Contracts;
using Correctomatic.Shared.Redis;
using Correctomatic.Tests.Integration.Hosting;
using Correctomatic.Tests.Integration.Infrastructure;

namespace Correctomatic.Tests.Integration.Pipeline;

/// <summary>
/// Issue #16: after N jobs through the whole pipeline, each service's /metrics shows exactly those jobs per outcome.
/// A harness of its own (a fresh queue prefix), and every series is matched on its stream, so other harnesses running in
/// this process at the same time cannot change the counts.
/// </summary>
public sealed class PipelineMetricsTests
{
    private const string Image = DockerEngine.ShellGraderImage;
    private static readonly HttpClient s_http = new() { Timeout = TimeSpan.FromSeconds(10) };

    [Fact]
    public async Task Metrics_AfterFiveJobs_CountEachOutcomeExactly()
    {
        await using var pipeline = await PipelineHarness.StartAsync();
        var callbacks = new[]
        {
            pipeline.RunAsync(pipeline.Job(Image, "echo hello\n", "EXPECTED=hello")),
            pipeline.RunAsync(pipeline.Job(Image, "echo goodbye\n", "EXPECTED=hello")),
            pipeline.RunAsync(pipeline.Job(Image, "echo oops >&2; exit 3\n", "EXPECTED=hello")),
            pipeline.RunAsync(pipeline.Job("elsewhere/not-allowed:1", "echo hello\n")),
        };
        var results = (await Task.WhenAll(callbacks)).Select(c => c.Result.Status).ToList();
        // A job nobody can be told about (no callback): the starter dead-letters it.
        await pipeline.Client.XAddAsync(pipeline.Streams.Pending, [new(StreamFields.Data, """{"image":"correctomatic/grader-shell"}""")]);

        var pending = ("messaging_destination_name", pipeline.Streams.Pending);
        var running = ("messaging_destination_name", pipeline.Streams.Running);
        var finished = ("messaging_destination_name", pipeline.Streams.Finished);
        // Each scrape waits until every count asserted below has got there: a count is recorded just after the hand-off
        // that let the job go on, so the callback the test saw may come before it. The assertions then say "exactly".
        var starter = await ScrapeUntilAsync(pipeline, "starter", s => s.Value("correctomatic_jobs_total", pending, ("correctomatic_job_status", "dead")) >= 1
            && s.Value("correctomatic_jobs_total", pending, ("correctomatic_job_status", "started")) >= 3
            && s.Value("correctomatic_jobs_total", pending, ("correctomatic_job_status", "rejected")) >= 1
            && s.Value("correctomatic_job_queue_wait_duration_seconds_count", pending) >= 5
            && s.Value("correctomatic_container_create_start_duration_seconds_count", pending) >= 3);
        var completer = await ScrapeUntilAsync(pipeline, "completer", s => s.Value("correctomatic_jobs_total", running) >= 3
            && s.Value("correctomatic_container_run_duration_seconds_count", running) >= 3);
        var notifier = await ScrapeUntilAsync(pipeline, "notifier", s => s.Value("correctomatic_jobs_total", finished) >= 4
            && s.Value("correctomatic_callback_attempts_total", finished, ("correctomatic_callback_outcome", "delivered")) >= 4
            && s.Value("correctomatic_callback_delivery_duration_seconds_count", finished) >= 4
            && s.Value("correctomatic_queue_length", ("messaging_destination_name", pipeline.Streams.Dead)) >= 1);

        Assert.Equal([JobStatus.Graded, JobStatus.Graded, JobStatus.GraderFailed, JobStatus.Rejected], results);
        Assert.Equal(3, starter.Value("correctomatic_jobs_total", pending, ("correctomatic_job_status", "started")));
        Assert.Equal(1, starter.Value("correctomatic_jobs_total", pending, ("correctomatic_job_status", "rejected")));
        Assert.Equal(1, starter.Value("correctomatic_jobs_total", pending, ("correctomatic_job_status", "dead")));
        Assert.Equal(5, starter.Value("correctomatic_jobs_total", pending));
        Assert.Equal(5, starter.Value("correctomatic_job_queue_wait_duration_seconds_count", pending));
        Assert.Equal(3, starter.Value("correctomatic_container_create_start_duration_seconds_count", pending));
        Assert.Equal(2, completer.Value("correctomatic_jobs_total", running, ("correctomatic_job_status", "graded")));
        Assert.Equal(1, completer.Value("correctomatic_jobs_total", running, ("correctomatic_job_status", "grader_failed")));
        Assert.Equal(3, completer.Value("correctomatic_jobs_total", running));
        Assert.Equal(3, completer.Value("correctomatic_container_run_duration_seconds_count", running));
        Assert.Equal(4, notifier.Value("correctomatic_jobs_total", finished, ("correctomatic_job_status", "delivered")));
        Assert.Equal(4, notifier.Value("correctomatic_jobs_total", finished));
        Assert.Equal(4, notifier.Value("correctomatic_callback_attempts_total", finished, ("correctomatic_callback_outcome", "delivered")));
        Assert.Equal(4, notifier.Value("correctomatic_callback_delivery_duration_seconds_count", finished));
        Assert.Equal(0, notifier.Value("correctomatic_callback_dead_letters_total", finished));
        Assert.Equal(1, notifier.Value("correctomatic_queue_length", ("messaging_destination_name", pipeline.Streams.Dead)));
    }

    /// <summary>Scrapes the service's /metrics until <paramref name="done"/> holds (the metric is recorded just after the hand-off the test saw).</summary>
    private static async Task<IReadOnlyList<PrometheusSample>> ScrapeUntilAsync(PipelineHarness pipeline, string service, Func<IReadOnlyList<PrometheusSample>, bool> done)
    {
        var url = new Uri(pipeline.OperationsAddress(service), "metrics");
        var until = DateTime.UtcNow.AddSeconds(30);
        IReadOnlyList<PrometheusSample> samples;
        do
        {
            samples = PrometheusText.Parse(await s_http.GetStringAsync(url));
            if (done(samples))
            {
                return samples;
            }

            await Task.Delay(200);
        }
        while (DateTime.UtcNow < until);

        // What the scrape held, what Redis held, and what the services said.
        var lengths = new List<string>();
        foreach (var stream in pipeline.Streams.All)
        {
            lengths.Add($"{stream}={await pipeline.Client.XLenAsync(stream)}");
        }

        var ours = samples.Where(x => x.Labels.Values.Any(v => v.StartsWith(pipeline.Prefix, StringComparison.Ordinal)))
            .Select(x => $"{x.Name}{{{string.Join(',', x.Labels.Select(l => $"{l.Key}={l.Value}"))}}} {x.Value}");
        Assert.Fail($"{service}'s /metrics did not get there in 30 s:\n{string.Join('\n', ours)}\nstreams: {string.Join(", ", lengths)}\n"
            + $"last log lines:\n{pipeline.Log.Tail()}");
        return samples;
    }
}
