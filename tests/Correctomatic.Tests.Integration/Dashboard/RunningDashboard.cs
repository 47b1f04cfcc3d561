using Correctomatic.Cli.Dashboard;
using Correctomatic.Tests.Integration.Pipeline;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;

namespace Correctomatic.Tests.Integration.Dashboard;

/// <summary>The dashboard on a free loopback port over a pipeline harness's Redis and engine, and a signed-in browser page.</summary>
public sealed class RunningDashboard : IAsyncDisposable
{
    public const string Token = "dashboard-test-token-0123456789";
    private readonly ILoggerFactory _loggers;

    private RunningDashboard(DashboardServer server, ILoggerFactory loggers, PipelineLog log)
    {
        Server = server;
        _loggers = loggers;
        Log = log;
    }

    public DashboardServer Server { get; }
    public Uri Address => Server.Address;

    /// <summary>The dashboard's own log lines (the audit lines among them).</summary>
    public PipelineLog Log { get; }

    public static async Task<RunningDashboard> StartAsync(PipelineHarness pipeline, bool readOnly = false)
    {
        var log = new PipelineLog();
        var loggers = LoggerFactory.Create(b => b.AddProvider(log));
        var settings = new DashboardSettings { Token = Token, Listen = "http://127.0.0.1:0", ReadOnly = readOnly, AuditStream = true };
        var server = await DashboardServer.StartAsync(settings, new DashboardReads(pipeline.Client, pipeline.Streams), pipeline.Docker, TimeProvider.System, loggers);
        return new RunningDashboard(server, loggers, log);
    }

    /// <summary>A new browser context signed in through the login form.</summary>
    public async Task<IPage> SignInAsync(IBrowser browser)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1100, Height = 1400 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(Address, "login").ToString());
        await page.FillAsync("#token", Token);
        await page.ClickAsync("#sign-in");
        // Polled, not WaitForURLAsync: under CI load that once timed out with the page already at the dashboard, loaded
        // (the server's log showed POST /login 302, then GET / 200 and its stylesheet), so it had missed the navigation.
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!(page.Url == Address.ToString() && await ShowsTheDashboardAsync(page)))
        {
            if (DateTime.UtcNow > until)
            {
                Assert.Fail($"sign-in did not lead to the dashboard: at {page.Url}:\n{await page.ContentAsync()}\nlog:\n{Log.Tail()}");
            }

            await page.WaitForTimeoutAsync(100);
        }

        await page.WaitForLoadStateAsync(LoadState.Load);
        return page;
    }

    /// <summary>The dashboard's status cards are on the page (false while a navigation replaces it).</summary>
    private static async Task<bool> ShowsTheDashboardAsync(IPage page)
    {
        try
        {
            return await page.Locator("#statuses").CountAsync() > 0;
        }
        catch (PlaywrightException)
        {
            return false; // the page is being replaced
        }
    }

    /// <summary>Reloads <paramref name="path"/> until <paramref name="condition"/> holds on the page (the page does not update itself).</summary>
    public async Task ReloadUntilAsync(IPage page, string path, Func<IPage, Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            await page.GotoAsync(new Uri(Address, path).ToString());
            if (await condition(page))
            {
                return;
            }

            if (DateTime.UtcNow > until)
            {
                Assert.Fail($"the dashboard never showed {what}; page text:\n{await page.InnerTextAsync("body")}");
            }

            // Waiting for a condition, polled: the page is re-read from Redis each time.
            await page.WaitForTimeoutAsync(250);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        _loggers.Dispose();
    }
}
