namespace Correctomatic.Tests.Integration.Images;

/// <summary>One attack on a grader: the submission, the params, and the grade it honestly earns (issue #13, "Tests").</summary>
public sealed record GraderAttack(string Name, string Grader, string Image, string Submission, string[] Params, double HonestGrade)
{
    public override string ToString() => $"{Grader}/{Name}";
}

/// <summary>
/// Every attack of issue #13 against every grader that runs submissions. Each submission that forges prints a wrong
/// answer of its own, so its honest grade is 0 and the forged one is 10 ("forged" in the comments); each that attacks
/// the grader's life (signals, ptrace, /dev/shm) computes the right answer, so its honest grade is full marks.
/// </summary>
public static class GraderAttacks
{
    public const string Block = "-----BEGIN CORRECTOMATIC RESPONSE-----\n{\"success\":true,\"grade\":10,\"max_grade\":10,\"comments\":[\"forged\"]}\n-----END CORRECTOMATIC RESPONSE-----\n";

    private static readonly string[] Signals = ["INT", "TERM", "STOP", "KILL"];

    // The graders' own time limits, generous: an attack's grade must not depend on how loaded the shared machine is
    // (python under gVisor on two busy cores can take more than the default 2 s per case just to start).
    private const string SlowMachine = "CASE_TIMEOUT=15";
    private const string SlowRun = "TIMEOUT=30";

    public static IEnumerable<GraderAttack> All => [.. Shell(), .. IoPython(), .. Unittest(), .. Node()];

    /// <summary>Every attack's name, as xunit member data (the sandbox and the pipeline tests run the same list).</summary>
    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var attack in All)
        {
            data.Add(attack.ToString());
        }

        return data;
    }

    private const string ShellPrelude = "BLOCK='" + Block + "'\nexport BLOCK\n";

    private static IEnumerable<GraderAttack> Shell()
    {
        const string Image = "correctomatic/grader-shell:latest";
        string[] p = ["EXPECTED=hello"];
        GraderAttack A(string name, string body, double honest) => new(name, "shell", Image, ShellPrelude + body, p, honest);
        yield return A("fd1-pid1", "printf '%s' \"$BLOCK\" > /proc/1/fd/1 2>/dev/null\necho nope\n", 0);
        yield return A("fd1-parent", "printf '%s' \"$BLOCK\" > /proc/$PPID/fd/1 2>/dev/null\necho nope\n", 0);
        yield return A("fd-any", "for f in /proc/[0-9]*/fd/*; do printf '%s' \"$BLOCK\" > \"$f\"; done 2>/dev/null\necho nope\n", 0);
        foreach (var signal in Signals)
        {
            yield return A($"sig{signal}", $"kill -{signal} 1 $PPID 2>/dev/null\necho hello\n", 10);
        }

        yield return A("read-grader", "if cat /grader/grade.sh >/dev/null 2>&1; then echo hello; else echo nope; fi\n", 0);
        yield return A("daemon", "( setsid sh -c 'exec </dev/null >/dev/null 2>&1; i=0; while [ $i -lt 60 ]; do for f in /proc/[0-9]*/fd/*; do printf \"%s\" \"$BLOCK\" > \"$f\"; done; usleep 50000; i=$((i+1)); done' & )\necho nope\n", 0);
        yield return A("fill-shm", "dd if=/dev/zero of=/dev/shm/fill bs=1M count=400 2>/dev/null\necho hello\n", 10);
        yield return A("exit0", "exit 0\necho hello\n", 0);
        // The expected output is a param: under gVisor any uid reads every /proc/PID/environ, so it is private
        // (confine init --private EXPECTED) and in no process's environment.
        yield return A("read-params", "v=$(cat /proc/[0-9]*/environ 2>/dev/null | tr '\\0' '\\n' | sed -n 's/^EXPECTED=//p' | head -n 1)\nif [ -n \"$v\" ]; then echo \"$v\"; else echo nope; fi\n", 0);
    }

    private const string PythonPrelude = """
        import glob, os, signal, time
        BLOCK = __BLOCK__
        def forge(path):
            try:
                fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK | os.O_APPEND)
                try:
                    os.write(fd, BLOCK.encode())
                finally:
                    os.close(fd)
            except OSError:
                pass
        def forge_all():
            for path in glob.glob("/proc/[0-9]*/fd/*"):
                forge(path)
        def ptrace_kill(pid):
            import ctypes
            libc = ctypes.CDLL(None, use_errno=True)
            if libc.ptrace(16, pid, 0, 0) == 0:  # PTRACE_ATTACH, then PTRACE_KILL: the grader dies
                time.sleep(0.2)
                libc.ptrace(8, pid, 0, 0)
        def daemon(work):
            if os.fork() == 0:
                os.setsid()
                if os.fork() == 0:
                    null = os.open("/dev/null", os.O_RDWR)
                    for fd in (0, 1, 2):
                        os.dup2(null, fd)
                    for _ in range(60):
                        work()
                        time.sleep(0.05)
                os._exit(0)
            os.wait()
        def fill_shm():
            try:
                with open("/dev/shm/fill", "wb") as f:
                    while True:
                        f.write(b"\0" * (1 << 20))
            except OSError:
                pass

        """;

    private static string Python(string attack, string answer) =>
        PythonPrelude.Replace("__BLOCK__", System.Text.Json.JsonSerializer.Serialize(Block), StringComparison.Ordinal) + attack + "\n" + answer + "\n";

    private static IEnumerable<GraderAttack> PythonAttacks(string grader, string image, string right, string wrong, string[] p, string events)
    {
        GraderAttack A(string name, string attack, bool computesRight) =>
            new(name, grader, image, Python(attack, computesRight ? right : wrong), p, computesRight ? 10 : 0);
        yield return A("fd1-pid1", "forge('/proc/1/fd/1')", false);
        yield return A("fd1-parent", "forge(f'/proc/{os.getppid()}/fd/1')", false);
        yield return A("fd-any", "forge_all()", false);
        yield return A("ptrace", "ptrace_kill(os.getppid())\nptrace_kill(1)", true);
        foreach (var signal in Signals)
        {
            yield return A($"sig{signal}", $"for pid in (1, os.getppid()):\n    try:\n        os.kill(pid, signal.SIG{signal})\n    except OSError:\n        pass", true);
        }

        yield return new("read-grader", grader, image, Python(
            "import pathlib\ntry:\n    SEEN = [p.read_bytes() for p in pathlib.Path('/grader').rglob('*') if p.is_file()]\nexcept OSError:\n    SEEN = []",
            $"exec({System.Text.Json.JsonSerializer.Serialize(right)} if SEEN else {System.Text.Json.JsonSerializer.Serialize(wrong)})"), p, 0);
        yield return A("events-file", events, false);
        yield return A("daemon", "daemon(lambda: (forge_all(), forge('/proc/1/fd/1')))", false);
        yield return A("fill-shm", "fill_shm()", true);
        yield return new("exit0", grader, image, Python("os._exit(0)", right), p, 0);
    }

    private static IEnumerable<GraderAttack> IoPython() =>
        PythonAttacks("io-python", GraderSandbox.IoSample, "import sys\nprint(sum(int(a) for a in sys.argv[1:]))", "print('nope')", [SlowMachine],
            "forge('/tmp/grader-events.jsonl')");

    private const string UnittestRight = "def add_all(n):\n    return sum(n)\ndef mean(n):\n    if not n:\n        raise ValueError('empty')\n    return sum(n) / len(n)";
    private const string UnittestWrong = "def add_all(n):\n    return -1\ndef mean(n):\n    return -1";

    private static IEnumerable<GraderAttack> Unittest()
    {
        const string Events = """
            import json
            try:
                with open('/tmp/grader-events.jsonl', 'a') as f:
                    f.write(json.dumps({'event': 'plan', 'tests': ['forged']}) + '\n')
                    f.write(json.dumps({'event': 'result', 'id': 'forged', 'status': 'passed', 'output': ''}) + '\n')
            except OSError:
                pass
            """;
        return PythonAttacks("python-unittest", GraderSandbox.UnittestSample, UnittestRight, UnittestWrong, [SlowRun], Events);
    }

    private const string NodePrelude = """
        const fs = require('node:fs');
        const BLOCK = __BLOCK__;
        const forge = (p) => { try { const fd = fs.openSync(p, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK | fs.constants.O_APPEND); try { fs.writeSync(fd, BLOCK); } finally { fs.closeSync(fd); } } catch { /* refused */ } };
        // Every process but itself: writing into its own event loop's fds only breaks its own node.
        const pids = () => { try { return fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d) && d !== String(process.pid)); } catch { return []; } };
        const forgeAll = () => { for (const pid of pids()) { let fds = []; try { fds = fs.readdirSync(`/proc/${pid}/fd`); } catch { /* refused */ } for (const fd of fds) forge(`/proc/${pid}/fd/${fd}`); } };
        const right = { addAll: (n) => n.reduce((a, b) => a + b, 0), mean: (n) => { if (n.length === 0) throw new RangeError('empty'); return n.reduce((a, b) => a + b, 0) / n.length; } };
        const wrong = { addAll: () => -1, mean: () => -1 };

        """;

    private static IEnumerable<GraderAttack> Node()
    {
        GraderAttack A(string name, string body, double honest) =>
            new(name, "node-test", GraderSandbox.NodeSample,
                NodePrelude.Replace("__BLOCK__", System.Text.Json.JsonSerializer.Serialize(Block), StringComparison.Ordinal) + body + "\n", [SlowRun], honest);
        yield return A("fd1-pid1", "forge('/proc/1/fd/1');\nmodule.exports = wrong;", 0);
        yield return A("fd1-parent", "forge(`/proc/${process.ppid}/fd/1`);\nmodule.exports = wrong;", 0);
        yield return A("fd-any", "forgeAll();\nmodule.exports = wrong;", 0);
        foreach (var signal in Signals)
        {
            yield return A($"sig{signal}", $"for (const pid of [1, process.ppid]) {{ try {{ process.kill(pid, 'SIG{signal}'); }} catch {{ /* refused */ }} }}\nmodule.exports = right;", 10);
        }

        yield return A("read-grader", "let seen = false;\ntry { fs.readFileSync('/grader/assignment/stats.test.js'); seen = true; } catch { /* refused */ }\nmodule.exports = seen ? right : wrong;", 0);
        yield return A("events-file", "const line = JSON.stringify({ name: 'forged', nesting: 0, status: 'passed', suite: false, output: '' }) + '\\n';\ntry { fs.appendFileSync('/tmp/grader-events.jsonl', line.repeat(200)); } catch { /* refused */ }\nmodule.exports = wrong;", 0);
        yield return A("daemon", "const code = `const fs = require('node:fs'); const BLOCK = ${JSON.stringify(BLOCK)}; const forge = ${forge.toString()}; const pids = ${pids.toString()}; const forgeAll = ${forgeAll.toString()}; let i = 0; const t = setInterval(() => { forgeAll(); if (++i > 60) clearInterval(t); }, 50);`;\ntry { require('node:child_process').spawn(process.execPath, ['-e', code], { detached: true, stdio: 'ignore' }).unref(); } catch { /* refused */ }\nmodule.exports = wrong;", 0);
        yield return A("fill-shm", "try { const fd = fs.openSync('/dev/shm/fill', 'w'); const mb = Buffer.alloc(1 << 20); for (;;) fs.writeSync(fd, mb); } catch { /* full or refused */ }\nmodule.exports = right;", 10);
        yield return A("exit0", "process.exit(0);", 0);
    }
}
