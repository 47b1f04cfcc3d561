using Microsoft.Playwright;

namespace Correctomatic.Tests.Integration.Dashboard;

/// <summary>
/// Debian's Chromium (utils/setup.sh installs it), driven by Playwright's bundled node driver: `playwright install`
/// cannot download browsers here (issue #17). Headless, as root, so without the sandbox.
/// </summary>
public sealed class Chromium : IAsyncDisposable
{
    public const string ExecutablePath = "/usr/bin/chromium";
    private readonly IPlaywright _playwright;

    private Chromium(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    public IBrowser Browser { get; }

    public static async Task<Chromium> LaunchAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            // Under CI this fails rather than skips (team rule); utils/setup.sh installs it.
            Assert.Fail($"{ExecutablePath} is missing: run utils/setup.sh (apt-get install chromium)");
        }

        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
        });
        return new Chromium(playwright, browser);
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
    }
}
