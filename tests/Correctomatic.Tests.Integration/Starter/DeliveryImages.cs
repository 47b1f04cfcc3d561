using Correctomatic.Tests.Integration.Infrastructure;

namespace Correctomatic.Tests.Integration.Starter;

/// <summary>
/// The images the delivery tests need (issue #14), built from Dockerfiles on the local busybox image (no network) under
/// tags of this test run, and removed after it: an ENTRYPOINT with a CMD, a CMD only, a numeric non-root USER, a /tmp
/// of 0755 (with a numeric and with a named USER), no /bin/sh at all, a sleeper, and a runner of the submission for the disk tests.
/// </summary>
public sealed class DeliveryImages : IAsyncLifetime
{
    private readonly string _tag = "ct" + Guid.NewGuid().ToString("N")[..8];
    private readonly List<string> _built = [];

    public StarterFixture Starter { get; } = new();

    public string EntrypointAndCmd => Name("entrypoint");
    public string CmdOnly => Name("cmd");
    public string NumericUser => Name("user");
    public string Tmp0755 => Name("tmp755");
    public string Tmp0755NamedUser => Name("tmp755-named");
    public string NoShell => Name("noshell");
    public string Sleeper => Name("sleeper");

    /// <summary>Runs the submission itself as its command (sh /tmp/exercise): the job is the test's script.</summary>
    public string Runner => Name("runner");

    private string Name(string kind) => $"correctomatic/ct-delivery-{kind}:{_tag}";

    public async Task InitializeAsync()
    {
        await Starter.InitializeAsync();
        var from = $"FROM {DockerEngine.BusyboxImage}\n";
        const string Sleep = "CMD [\"sleep\", \"60\"]\n";
        // $0 and $* of the entrypoint's shell: what the image's own ENTRYPOINT got as its CMD ("a" and "b c").
        await BuildAsync(EntrypointAndCmd, from + "ENTRYPOINT [\"/bin/sh\", \"-c\", \"echo \\\"$0|$*\\\" > /tmp/ran; exec sleep 60\"]\nCMD [\"a\", \"b c\"]\n");
        await BuildAsync(CmdOnly, from + "CMD [\"/bin/sh\", \"-c\", \"echo cmd-only > /tmp/ran; exec sleep 60\"]\n");
        await BuildAsync(NumericUser, from + "USER 4321:4321\n" + Sleep);
        await BuildAsync(Tmp0755, from + "USER root\nRUN chmod 0755 /tmp\nUSER 1000:1000\n" + Sleep);
        await BuildAsync(Tmp0755NamedUser, from + "USER root\nRUN chmod 0755 /tmp\nUSER grader\n" + Sleep);
        await BuildAsync(NoShell, $"FROM {DockerEngine.BusyboxImage} AS busybox\nFROM scratch\nCOPY --from=busybox /bin/busybox /busybox\nUSER 1000:1000\nENTRYPOINT [\"/busybox\", \"sleep\", \"60\"]\n");
        await BuildAsync(Sleeper, from + Sleep);
        await BuildAsync(Runner, from + "CMD [\"/bin/sh\", \"/tmp/exercise\"]\n");
    }

    private async Task BuildAsync(string tag, string dockerfile)
    {
        await DockerEngine.BuildAsync(tag, dockerfile);
        _built.Add(tag);
    }

    public async Task DisposeAsync()
    {
        if (_built.Count > 0)
        {
            await DockerEngine.CliAsync(["rmi", "-f", .. _built]);
        }

        await Starter.DisposeAsync();
    }
}
