using Correctomatic.Shared.Contracts;
using Correctomatic.Shared.Redis;
using Correctomatic.Tests.Integration.Infrastructure;
using Correctomatic.Tests.Integration.Pipeline;
using Microsoft.Playwright;

namespace Correctomatic.Tests.Integration.Dashboard;

/// <summary>
/// The operator's dashboard in a real browser (issue #17): Debian's Chromium driven by Playwright, over the whole
/// pipeline in this process (a private Redis, the three services, the real engine, a verifying receiver). Each test
/// has a pipeline of its own, so its counts are its own.
/// </summary>
public sealed class DashboardTests
{
    private const string Image = DockerEngine.ShellGraderImage;

    /// <summary>Where the screenshot taken during a run is saved: TestResults/dashboard.png at the repository's root.</summary>
    public static string ScreenshotPath => Path.Combine(Repository.Root, "TestResults", "dashboard.png");

    [Fact]
    public async Task Dashboard_AfterARunOfJobs_ShowsTheCountsPerStatus()
    {
        await using var pipeline = await PipelineHarness.StartAsync();
        await using var dashboard = await RunningDashboard.StartAsync(pipeline);
        await using var chromium = await Chromium.LaunchAsync();
        var page = await dashboard.SignInAsync(chromium.Browser);

        var runs = new[]
        {
            pipeline.RunAsync(pipeline.Job(Image, "echo hello\n", "EXPECTED=hello")),
            pipeline.RunAsync(pipeline.Job(Image, "echo hello\n", "EXPECTED=hello")),
            pipeline.RunAsync(pipeline.Job(Image, "echo bye\n", "EXPECTED=hello")),
            pipeline.RunAsync(pipeline.Job(Image, "echo oops >&2; exit 3\n", "EXPECTED=hello")),
        };
        // The starter dead-letters a job with no usable callback: nobody can be told its result.
        await SubmitWithoutCallbackAsync(pipeline);
        await Task.WhenAll(runs);
        await WaitForDeadAsync(pipeline, 1);

        await dashboard.ReloadUntilAsync(page, "", async p => await CardAsync(p, "#callbacks", "delivered") == "4", "four callbacks delivered");
        // Three graded (two right, one wrong: graded with 0), one grader_failed, one dead; nothing queued or running.
        Assert.Equal("3", await CardAsync(page, "#statuses", "graded"));
        Assert.Equal("1", await CardAsync(page, "#statuses", "grader_failed"));
        Assert.Equal("1", await CardAsync(page, "#statuses", "dead"));
        Assert.Equal(3, await page.Locator("#statuses .card").CountAsync());
        Assert.Equal("0", await CardAsync(page, "#callbacks", "retrying now"));
        Assert.Contains("finished: 4 in the last hour", await page.Locator("svg.chart").TextContentAsync(), StringComparison.Ordinal);
        Assert.Contains("no callback", await page.InnerTextAsync("#dead .reason"), StringComparison.Ordinal);

        // A second burst, photographed while it runs: queue state, chart, containers and the dead letter on one page.
        var more = Enumerable.Range(0, 6).Select(i => pipeline.RunAsync(pipeline.Job(Image, $"sleep 2; echo {i}\n", "EXPECTED=0"))).ToList();
        await dashboard.ReloadUntilAsync(page, "", async p => await p.Locator("#containers td.n").CountAsync() > 0
            && await p.Locator("#containers td.n").First.InnerTextAsync() != "0", "a running container", TimeSpan.FromSeconds(60));
        Directory.CreateDirectory(Path.GetDirectoryName(ScreenshotPath)!);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = ScreenshotPath, FullPage = true });
        Assert.True(new FileInfo(ScreenshotPath).Length > 10_000, $"{ScreenshotPath} is too small to be the page");
        await Task.WhenAll(more);
    }

    [Fact]
    public async Task Dashboard_JobFoundByItsWorkId_ShowsItsTimelineVerdictAndTheSignedBody()
    {
        await using var pipeline = await PipelineHarness.StartAsync();
        await using var dashboard = await RunningDashboard.StartAsync(pipeline);
        await using var chromium = await Chromium.LaunchAsync();
        var page = await dashboard.SignInAsync(chromium.Browser);
        var job = pipeline.Job(Image, "echo hello\n", "EXPECTED=hello") with { WorkId = "exam-7/student <42>" };
        var callback = await pipeline.RunAsync(job);

        await page.GotoAsync(new Uri(dashboard.Address, "jobs").ToString());
        await page.FillAsync("#q", job.WorkId!);
        await page.ClickAsync("#search");
        await dashboard.ReloadUntilAsync(page, "jobs?q=" + Uri.EscapeDataString(job.WorkId!),
            async p => (await p.Locator("section.job tr[data-step=delivered]").InnerTextAsync()).Contains("yes", StringComparison.Ordinal), "the job delivered");

        var section = page.Locator($"section.job[data-job-id='{callback.JobId}']");
        Assert.Equal(1, await page.Locator("section.job").CountAsync());
        Assert.Equal(job.WorkId, await section.Locator(".work-id").InnerTextAsync());
        Assert.Equal("graded, grade 10 of 10", await section.Locator(".verdict").InnerTextAsync());
        var queued = DateTimeOffset.Parse(await section.Locator("tr[data-step=queued] .at").InnerTextAsync(), System.Globalization.CultureInfo.InvariantCulture);
        var started = DateTimeOffset.Parse(await section.Locator("tr[data-step=started] .at").InnerTextAsync(), System.Globalization.CultureInfo.InvariantCulture);
        var finished = DateTimeOffset.Parse(await section.Locator("tr[data-step=finished] .at").InnerTextAsync(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(queued <= started && started <= finished, $"timeline out of order: {queued:O} {started:O} {finished:O}");
        Assert.Equal(callback.Result.Timings!.StartedAt, started);
        Assert.Equal(callback.Result.Timings!.FinishedAt, finished);
        // The body shown is byte for byte what the receiver verified.
        Assert.Equal(callback.Body, await section.Locator("pre.body").InnerTextAsync());

        await page.GotoAsync(new Uri(dashboard.Address, "jobs?q=" + callback.JobId).ToString());
        Assert.Equal(1, await page.Locator($"section.job[data-job-id='{callback.JobId}']").CountAsync());
        await page.GotoAsync(new Uri(dashboard.Address, "jobs?q=no-such-work").ToString());
        Assert.Equal(1, await page.Locator("#no-job").CountAsync());
    }

    [Fact]
    public async Task Dashboard_DeadLetterReplayedFromThePage_IsThenDelivered()
    {
        // Two refused connections and the notifier gives up: the finished entry is dead-lettered. The receiver then comes
        // back on that address, and the operator replays it from the page.
        await using var pipeline = await PipelineHarness.StartAsync(new Dictionary<string, string> { ["CALLBACK_MAX_ATTEMPTS"] = "2" });
        await using var dashboard = await RunningDashboard.StartAsync(pipeline);
        await using var chromium = await Chromium.LaunchAsync();
        await using var forwarder = new TcpForwarder();
        var page = await dashboard.SignInAsync(chromium.Browser);
        var job = pipeline.Job(Image, "echo hello\n", "EXPECTED=hello") with { Callback = $"http://127.0.0.1:{forwarder.Port}/callbacks" };
        var jobId = await pipeline.SubmitAsync(job);
        var deadId = (await WaitForDeadAsync(pipeline, 1))[0].Id;
        forwarder.ForwardTo(pipeline.CallbackUrl);

        await page.GotoAsync(dashboard.Address.ToString());
        var row = page.Locator($"#dead tr[data-id='{deadId}']");
        Assert.Contains(pipeline.Streams.Finished, await row.InnerTextAsync(), StringComparison.Ordinal);
        Assert.NotEqual("(no reason)", await row.Locator(".reason").InnerTextAsync());
        await row.GetByText("replay").ClickAsync();
        Assert.Equal(deadId, await page.InnerTextAsync("#what"));
        Assert.Single(await pipeline.DeadLettersAsync()); // nothing happens before the confirmation
        await page.ClickAsync("#confirm");

        var message = await page.InnerTextAsync("#message");
        Assert.StartsWith($"replayed {deadId} -> {pipeline.Streams.Finished} ", message, StringComparison.Ordinal);
        var result = await pipeline.WaitForCallbackAsync(jobId, TimeSpan.FromSeconds(90));
        Assert.Equal(JobStatus.Graded, result.Status);
        Assert.Equal(job.WorkId, result.WorkId);
        Assert.Empty(await pipeline.DeadLettersAsync());
        Assert.Contains($"audit: who=signed-in session from 127.0.0.1 action=replay ids={deadId} outcome=replayed", dashboard.Log.Tail(200), StringComparison.Ordinal);
        var audit = await pipeline.Client.XRangeAsync(pipeline.Prefix + "audit");
        Assert.Equal("replay", Assert.Single(audit).Field("action"));
    }

    [Fact]
    public async Task Dashboard_WithoutTheTokenOrReadOnly_RefusesAndReplaysNothing()
    {
        await using var pipeline = await PipelineHarness.StartAsync();
        await using var dashboard = await RunningDashboard.StartAsync(pipeline, readOnly: true);
        await using var chromium = await Chromium.LaunchAsync();
        await SubmitWithoutCallbackAsync(pipeline);
        var deadId = (await WaitForDeadAsync(pipeline, 1))[0].Id;

        // No token: every page is refused, and a wrong bearer token too; the right one is let in.
        var anonymous = await (await chromium.Browser.NewContextAsync()).NewPageAsync();
        foreach (var path in new[] { "", "jobs?q=" + deadId, "dead/confirm?action=replay&id=" + deadId })
        {
            var response = await anonymous.GotoAsync(new Uri(dashboard.Address, path).ToString());
            Assert.Equal(401, response!.Status);
            Assert.DoesNotContain(deadId, await anonymous.ContentAsync(), StringComparison.Ordinal);
        }

        var api = anonymous.Context.APIRequest;
        Assert.Equal(401, (await api.GetAsync(dashboard.Address.ToString(), new() { Headers = new Dictionary<string, string> { ["Authorization"] = "Bearer wrong-token-0123456789" } })).Status);
        Assert.Equal(401, (await api.PostAsync(new Uri(dashboard.Address, "dead/replay").ToString(), new() { Form = FormWith(api, deadId) })).Status);
        Assert.Equal(200, (await api.GetAsync(dashboard.Address.ToString(), new() { Headers = new Dictionary<string, string> { ["Authorization"] = "Bearer " + RunningDashboard.Token } })).Status);

        // Signed in but read-only: no replay link, the confirmation page and the POST are refused.
        var page = await dashboard.SignInAsync(chromium.Browser);
        Assert.Equal(1, await page.Locator("#read-only").CountAsync());
        Assert.Equal(0, await page.Locator($"#dead tr[data-id='{deadId}'] a").CountAsync());
        Assert.Equal(403, (await page.GotoAsync(new Uri(dashboard.Address, "dead/confirm?action=replay&id=" + deadId).ToString()))!.Status);
        var post = await page.Context.APIRequest.PostAsync(new Uri(dashboard.Address, "dead/replay").ToString(), new() { Form = FormWith(page.Context.APIRequest, deadId) });
        Assert.Equal(403, post.Status);
        Assert.Contains("read-only", await post.TextAsync(), StringComparison.Ordinal);
        Assert.Equal(403, (await page.Context.APIRequest.PostAsync(new Uri(dashboard.Address, "dead/purge").ToString(), new() { Form = FormWith(page.Context.APIRequest, deadId) })).Status);

        Assert.Equal(deadId, Assert.Single(await pipeline.DeadLettersAsync()).Id);
        Assert.DoesNotContain("audit:", dashboard.Log.Tail(200), StringComparison.Ordinal);
    }

    /// <summary>A job whose data has no callback: the starter dead-letters it (JobValidator).</summary>
    private static Task<string> SubmitWithoutCallbackAsync(PipelineHarness pipeline) =>
        pipeline.Client.XAddAsync(pipeline.Streams.Pending,
            [new(StreamFields.Data, $$"""{"image":"{{Image}}","work_id":"no-callback","file_content":"ZWNobyBoaQo="}""")]);

    private static IFormData FormWith(IAPIRequestContext api, string id)
    {
        var form = api.CreateFormData();
        form.Set("id", id);
        return form;
    }

    private static async Task<string> CardAsync(IPage page, string cards, string label)
    {
        foreach (var card in await page.Locator(cards + " .card").AllAsync())
        {
            var text = (await card.InnerTextAsync()).Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (text.Length == 2 && text[1] == label)
            {
                return text[0];
            }
        }

        return "(no card " + label + ")";
    }

    private static async Task<IReadOnlyList<StreamEntry>> WaitForDeadAsync(PipelineHarness pipeline, int count)
    {
        for (var until = DateTime.UtcNow.AddSeconds(60); DateTime.UtcNow < until;)
        {
            var dead = await pipeline.DeadLettersAsync();
            if (dead.Count >= count)
            {
                return dead;
            }

            await Task.Delay(100); // polling a condition
        }

        Assert.Fail($"fewer than {count} dead letters after 60 s; log:\n{pipeline.Log.Tail()}");
        return [];
    }
}
