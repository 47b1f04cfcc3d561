using Correctomatic.Shared.Docker;
using Correctomatic.Starter;

namespace Correctomatic.Tests.Unit.Starter;

public sealed class StdinDeliveryTests
{
    private static ImageInfo Image(string[] entrypoint, string[] cmd) =>
        new("sha256:x", [], null, new Dictionary<string, string>()) { Entrypoint = entrypoint, Cmd = cmd };

    [Fact]
    public void Wrap_EntrypointAndCmd_ShellWritesStdinThenExecsBothInOrder()
    {
        var (entrypoint, cmd) = StdinDelivery.Wrap(Image(["/grader/bin/confine", "init"], ["--", "/bin/sh", "/grader/grade.sh"]), openTmp: false, fileBytes: 12)!.Value;

        Assert.Equal(["/bin/sh", "-c", StdinDelivery.Script(openTmp: false, fileBytes: 12), "--"], entrypoint);
        Assert.Equal(["/grader/bin/confine", "init", "--", "/bin/sh", "/grader/grade.sh"], cmd);
    }

    [Fact]
    public void Wrap_CmdOnly_ExecsTheCmd() =>
        Assert.Equal(["python3", "grade.py"], StdinDelivery.Wrap(Image([], ["python3", "grade.py"]), openTmp: false, fileBytes: 12)!.Value.Cmd);

    [Fact]
    public void Wrap_NeitherEntrypointNorCmd_Null() => Assert.Null(StdinDelivery.Wrap(Image([], []), openTmp: false, fileBytes: 12));

    [Fact]
    public void Script_WritesExactlyTheFilesBytesAs0644AndStopsWithStatus125WhenItCannot()
    {
        var script = StdinDelivery.Script(openTmp: false, fileBytes: 1234);

        Assert.StartsWith("umask 022; head -c 1234 > /tmp/exercise || {", script, StringComparison.Ordinal);
        Assert.Contains("exit 125; }; exec \"$@\"", script, StringComparison.Ordinal);
        Assert.DoesNotContain("chmod", script, StringComparison.Ordinal);
    }

    [Fact]
    public void Script_TmpNotOpenInTheImage_ChmodsItFirst() =>
        Assert.StartsWith("chmod 1777 /tmp 2>/dev/null; umask 022; head -c 0 > /tmp/exercise", StdinDelivery.Script(openTmp: true, fileBytes: 0), StringComparison.Ordinal);
}
