"""Hidden (grade-time) checks whose expected values never enter the submission's process (issue #13).

The trusted grader holds the checks (`grade.json` in the assignment, readable by the grader only). It starts one
confined worker that imports the submission, sends it calls — a function name and JSON arguments, nothing more — and
compares the JSON answers itself. The worker (and so the submission) can answer whatever it likes: it can only ever
be graded on what it computed, because it never learns what was expected. images/README.md, "Two modes".

grade.json: {"checks": [{"name": "...", "call": "function", "args": [...], "kwargs": {...},
                         "expect": <JSON value> | "raises": "ExceptionName", "tolerance": 1e-9 (numbers, optional)}]}
"""
import json
import queue
import secrets
import subprocess
import threading
import time

import confine

KEEP = 64 * 1024


def load_checks(path):
    """The checks of grade.json; ValueError with what is wrong in it (the grader reports a broken assignment)."""
    with open(path, encoding="utf-8") as f:
        document = json.load(f)
    checks = document.get("checks") if isinstance(document, dict) else None
    if not isinstance(checks, list) or not checks:
        raise ValueError(f"{path} must hold {{\"checks\": [...]}} with at least one check")
    for number, check in enumerate(checks, start=1):
        if not isinstance(check, dict) or not isinstance(check.get("call"), str):
            raise ValueError(f"check {number} of {path} has no \"call\" (a function name)")
        if ("expect" in check) == ("raises" in check):
            raise ValueError(f"check {number} of {path} needs exactly one of \"expect\" and \"raises\"")
        if not isinstance(check.get("args", []), list) or not isinstance(check.get("kwargs", {}), dict):
            raise ValueError(f"check {number} of {path}: \"args\" must be a list and \"kwargs\" an object")
    return checks


def _same(actual, expected, tolerance):
    numbers = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (actual, expected))
    if numbers:
        return actual == expected if tolerance is None else abs(actual - expected) <= tolerance
    return type(actual) is type(expected) and actual == expected


def verdict(check, answer):
    """(passed, why) for one check and the worker's answer (None: no answer)."""
    if answer is None:
        return False, "no answer"
    if "raises" in check:
        if "raised" in answer:
            ok = check["raises"] in answer.get("classes", [])
            return ok, "" if ok else f"raised {answer['raised']}, not {check['raises']}"
        return False, f"returned instead of raising {check['raises']}"
    if "raised" in answer:
        return False, f"raised {answer['raised']}: {answer.get('message', '')[:200]}"
    if "value" not in answer:
        return False, "returned a value that is not JSON (numbers, strings, lists, dicts, booleans, None)"
    ok = _same(answer["value"], check["expect"], check.get("tolerance"))
    return ok, "" if ok else "wrong result"


class Worker:
    """One confined worker: `argv` imports the submission, then answers one JSON call per line on stdin."""

    def __init__(self, argv, *, workdir, env):
        self.process = subprocess.Popen(confine.command(argv, workdir=workdir, env=env), cwd=workdir,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                        start_new_session=True, **confine.popen_kwargs())
        self.answers = queue.Queue()
        self.stderr = bytearray()
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self._drain_stderr, daemon=True).start()

    def _read(self):
        for line in self.process.stdout:
            try:
                message = json.loads(line)
            except ValueError:
                continue  # whatever the submission printed on its own: not an answer
            if isinstance(message, dict):
                self.answers.put(message)
        self.answers.put(None)

    def _drain_stderr(self):
        while chunk := self.process.stderr.read(65536):
            if len(self.stderr) < KEEP:
                self.stderr += chunk[:KEEP - len(self.stderr)]

    def call(self, check, deadline):
        """The answer to one check's call, None when none came before the deadline or the worker ended."""
        token = secrets.token_hex(8)  # an answer counts only for the call it names
        request = {"id": token, "call": check["call"], "args": check.get("args", []), "kwargs": check.get("kwargs", {})}
        try:
            self.process.stdin.write((json.dumps(request) + "\n").encode())
            self.process.stdin.flush()
        except OSError:
            return None
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            try:
                answer = self.answers.get(timeout=left)
            except queue.Empty:
                return None
            if answer is None:
                self.answers.put(None)  # the worker ended: so do the remaining calls
                return None
            if answer.get("id") == token:
                return answer

    def close(self):
        confine.stop(self.process)  # returns once the spawner has killed every process of the submission
        self.process.wait()
        return self.process.returncode
