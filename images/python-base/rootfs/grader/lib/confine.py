"""Runs a submission under the spawner's confinement (/grader/bin/confine, images/confine/; issue #13).

The image starts as `confine init -- <grader>` (label correctomatic.sandbox=spawner): the grader runs as uid 1000 and
asks the spawner, through the fd named by CORRECTOMATIC_CONFINE_FD, to run each submission as uid 1001, in a session
of its own, with rlimits, no_new_privs, Landlock where the kernel has it, and only the pipes we give it as stdin,
stdout and stderr. `confine run` is that request: it exits with the submission's status (or dies of its signal), and
when it is killed (a time limit) the spawner kills every process the submission left. images/README.md, "Confinement".
"""
import os
import signal
import subprocess

CONFINE = "/grader/bin/confine"
FD_ENV = "CORRECTOMATIC_CONFINE_FD"
REFUSED = 125
DEGRADED_PARAM = "ALLOW_DEGRADED_CONFINEMENT"


class ConfinementRefused(Exception):
    """The spawner will not run a submission here (no spawner, or a weaker confinement than this runtime gives)."""


def allow_degraded():
    """The job param ALLOW_DEGRADED_CONFINEMENT=1: run even where the confinement is degraded (operator's choice)."""
    return os.environ.get(DEGRADED_PARAM, "").strip().lower() in ("1", "true", "yes")


def _spawner_fd():
    raw = os.environ.get(FD_ENV, "")
    if not raw.isdigit():
        raise ConfinementRefused(f"no spawner: {FD_ENV} is not set; the image's CMD must start with "
                                 f"'{CONFINE} init --' and carry the label correctomatic.sandbox=spawner")
    return int(raw)


def _client_env():
    return {FD_ENV: os.environ[FD_ENV], "PATH": "/usr/bin:/bin"}


def check():
    """What the spawner gives here, one line (e.g. 'runtime=linux uid_separation=yes landlock_abi=7 confinement=full').

    Raises ConfinementRefused with the spawner's reason when it would refuse to run a submission."""
    fd = _spawner_fd()
    argv = [CONFINE, "check", *(["--allow-degraded"] if allow_degraded() else [])]
    done = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, text=True, pass_fds=(fd,),
                          env=_client_env(), cwd="/tmp", timeout=30)
    if done.returncode != 0:
        raise ConfinementRefused(done.stderr.strip() or f"confine check exited with status {done.returncode}")
    return done.stdout.strip()


def command(argv, *, workdir, env, reads=(), limits=None):
    """The `confine run` command line for argv, run in workdir with exactly env as its environment."""
    line = [CONFINE, "run", "--workdir", workdir]
    for key, value in env.items():
        line += ["--env", f"{key}={value}"]
    for path in reads:
        line += ["--read", path]
    for name, value in (limits or {}).items():
        line += ["--limit", f"{name}={value}"]
    if allow_degraded():
        line.append("--allow-degraded")
    return [*line, "--", *argv]


def popen_kwargs():
    """What subprocess.Popen needs to start `confine run`: the spawner's fd, and no environment of the grader's."""
    return {"pass_fds": (_spawner_fd(),), "env": _client_env()}


def stop(process, grace=10):
    """Ends a `confine run` process: SIGTERM makes it hang up and return only once the spawner has killed every
    process of the submission, so the next run cannot meet that kill; SIGKILL after `grace` seconds."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
