"""Runs a student's program with a time limit and bounded output, confined, and kills everything it started.

A submission may loop forever or print without end; the grader must survive both inside the container's memory limit
(images/README.md, "Limits"). Output beyond `keep` bytes per stream is read and dropped, never stored. The program
runs through the spawner (confine.py): uid 1001, its own session, rlimits, Landlock where the kernel has it.
"""
import subprocess
import threading
import time

import confine
from dataclasses import dataclass


@dataclass
class RunResult:
    stdout: str
    stderr: str
    exit_code: int | None  # None when it was killed for the time limit
    timed_out: bool
    truncated: bool
    seconds: float


def _drain(stream, keep, sink):
    kept = bytearray()
    dropped = 0
    while chunk := stream.read(65536):
        room = keep - len(kept)
        if room > 0:
            kept += chunk[:room]
        dropped += max(0, len(chunk) - max(room, 0))
    sink.append((bytes(kept), dropped > 0))


def _feed(pipe, data):
    try:
        pipe.write(data)
        pipe.close()
    except OSError:
        pass  # the program stopped reading: what it did not read is its business


def run_bounded(argv, *, cwd, env, timeout, keep=64 * 1024, reads=(), stdin=None):
    """Runs argv confined in cwd (its only writable dir) with exactly env; stdin is bytes to send, or nothing."""
    started = time.monotonic()
    # `confine run` in a session of its own: killing it at the time limit makes the spawner kill every process the
    # submission started (images/README.md, "Confinement").
    process = subprocess.Popen(confine.command(argv, workdir=cwd, env=env, reads=reads), cwd=cwd,
                               stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
                               **confine.popen_kwargs())
    if stdin is not None:
        threading.Thread(target=_feed, args=(process.stdin, stdin), daemon=True).start()
    out, err = [], []
    readers = [threading.Thread(target=_drain, args=(process.stdout, keep, out), daemon=True),
               threading.Thread(target=_drain, args=(process.stderr, keep, err), daemon=True)]
    for reader in readers:
        reader.start()
    timed_out = False
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        # Whatever the submission started (daemons, sleeping children) is killed by the spawner before this returns.
        confine.stop(process)
    process.wait()
    for reader in readers:
        reader.join(timeout=2)
    stdout, out_cut = out[0] if out else (b"", False)
    stderr, err_cut = err[0] if err else (b"", False)
    return RunResult(stdout.decode("utf-8", "replace"), stderr.decode("utf-8", "replace"),
                     None if timed_out else process.returncode, timed_out, out_cut or err_cut,
                     time.monotonic() - started)


def student_env(home, **extra):
    """A small environment for the submission: no job params (they are the grader's business)."""
    env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": home, "LANG": "C.UTF-8", "PYTHONDONTWRITEBYTECODE": "1",
           "PYTHONIOENCODING": "utf-8"}
    env.update(extra)
    return env
