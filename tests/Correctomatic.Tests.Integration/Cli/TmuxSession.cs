using System.Globalization;
using Correctomatic.Tests.Integration.Infrastructure;

namespace Correctomatic.Tests.Integration.Cli;

/// <summary>
/// A program in a pseudo-terminal: a tmux server of its own (private socket, no user configuration) running one
/// detached session, read with <c>capture-pane</c> (the screen as a terminal shows it) and driven with <c>send-keys</c>.
/// The program runs under a bash that prints its exit status once it ends and then keeps the terminal open, so the
/// status and the terminal's state after it can be read (a dead pane's cursor flag is not the program's). Every byte
/// written to the terminal is also kept (<c>pipe-pane</c>) to check which control sequences the program used.
/// </summary>
public sealed class TmuxSession : IAsyncDisposable
{
    private const string Name = "cli";

    /// <summary>What the wrapper prints when the program has ended, followed by its exit status.</summary>
    public const string ExitMarker = "program exited with status ";
    private readonly string _directory;
    private readonly IReadOnlyDictionary<string, string> _environment;

    private TmuxSession(string directory, IReadOnlyDictionary<string, string> environment)
    {
        _directory = directory;
        _environment = environment;
    }

    private string Socket => Path.Combine(_directory, "tmux.sock");

    /// <summary>Everything the program wrote to the terminal, raw.</summary>
    public string RawOutput => File.Exists(Path.Combine(_directory, "raw")) ? File.ReadAllText(Path.Combine(_directory, "raw")) : "";

    /// <summary>Starts <paramref name="command"/> on a <paramref name="width"/>×<paramref name="height"/> terminal, UTF-8, with <paramref name="environment"/> added.</summary>
    public static async Task<TmuxSession> StartAsync(IReadOnlyDictionary<string, string> environment, int width, int height, params string[] command)
    {
        var directory = Directory.CreateTempSubdirectory("ct-tmux-").FullName;
        await File.WriteAllTextAsync(Path.Combine(directory, "tmux.conf"), "set -g status off\n");
        var env = new Dictionary<string, string>(environment) { ["LANG"] = "C.UTF-8", ["LC_ALL"] = "C.UTF-8" };
        var session = new TmuxSession(directory, env);
        await session.TmuxAsync(["-f", Path.Combine(directory, "tmux.conf"), "new-session", "-d", "-s", Name,
            "-x", width.ToString(CultureInfo.InvariantCulture), "-y", height.ToString(CultureInfo.InvariantCulture),
            // A trap that runs a command (not an empty one, which would be inherited as "ignore") keeps bash alive on
            // Ctrl+C while the program gets the signal with its default disposition, as from an interactive shell.
            "bash", "-c", $"trap : INT; \"$@\"; echo \"{ExitMarker}$?\"; exec sleep 600", "bash", .. command]);
        await session.TmuxAsync(["pipe-pane", "-t", Name, "-o", $"cat >> '{Path.Combine(directory, "raw")}'"]);
        return session;
    }

    /// <summary>The screen's lines as the terminal shows them now.</summary>
    public async Task<IReadOnlyList<string>> ScreenAsync() =>
        (await TmuxAsync(["capture-pane", "-p", "-t", Name])).Split('\n');

    /// <summary>Polls the screen until <paramref name="condition"/> holds; fails with the last screen after <paramref name="timeout"/>.</summary>
    public async Task<IReadOnlyList<string>> WaitForAsync(Func<IReadOnlyList<string>, bool> condition, string what, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (true)
        {
            var screen = await ScreenAsync();
            if (condition(screen))
            {
                return screen;
            }

            if (DateTime.UtcNow > until)
            {
                Assert.Fail($"the screen never showed {what} within {timeout.TotalSeconds} s; last screen:\n{string.Join('\n', screen)}");
            }

            await Task.Delay(100);
        }
    }

    public Task SendKeysAsync(string keys) => TmuxAsync(["send-keys", "-t", Name, keys]);

    /// <summary>Whether the terminal shows its cursor now (tmux's cursor flag: DECTCEM, <c>ESC[?25h</c> / <c>ESC[?25l</c>).</summary>
    public async Task<bool> CursorVisibleAsync() =>
        (await TmuxAsync(["display-message", "-p", "-t", Name, "#{cursor_flag}"])).Trim() == "1";

    public async ValueTask DisposeAsync()
    {
        await ProcessRunner.RunAsync(ProcessRunner.Require("tmux"), ["-S", Socket, "kill-server"], timeout: TimeSpan.FromSeconds(30), environment: _environment);
        Directory.Delete(_directory, recursive: true);
    }

    private async Task<string> TmuxAsync(string[] arguments)
    {
        var run = await ProcessRunner.RunAsync(ProcessRunner.Require("tmux"), ["-u", "-S", Socket, .. arguments], timeout: TimeSpan.FromSeconds(30), environment: _environment);
        Assert.True(run.ExitCode == 0, $"tmux {string.Join(' ', arguments)}: {run.Describe()}");
        return run.Stdout;
    }
}
