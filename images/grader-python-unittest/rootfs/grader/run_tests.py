"""Child process of grade.py, confined with the submission: imports it, then runs the teacher's unittest tests.

Writes one JSON line per event on its results channel, a copy of the stdout pipe grade.py gave it (never a file in
/tmp that another process could append to): {"event":"import_error"}, {"event":"plan"} with every test id, then
{"event":"result"} per finished test, so the parent knows what finished if a test loops forever. Its own fd 1 then
points at stderr, so what the submission prints never lands on the channel. The submission runs in this process
(CASES=test mode), so it could still tamper with its own visible results; the grade that counts uses CASES=grade
(grade.py, images/README.md "Two modes").
"""
import json
import os
import sys
import traceback
import unittest

WORK = os.getcwd()  # the work dir grade.py prepared: solution.py, and the visible tests in tests/
TESTS = os.path.join(WORK, "tests")


class Recorder(unittest.TestResult):
    def __init__(self, sink):
        super().__init__()
        self.buffer = True  # the student's prints during a test go into that test's failure text, not to stdout
        self.sink = sink

    def _record(self, test, status, output=""):
        self.sink({"event": "result", "id": test.id(), "status": status, "output": output})

    def addSuccess(self, test):
        super().addSuccess(test)
        self._record(test, "passed")

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self._record(test, "failed", self.failures[-1][1])

    def addError(self, test, err):
        super().addError(test, err)
        self._record(test, "failed", self.errors[-1][1])

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        self._record(test, "failed", f"skipped: {reason}")

    def addSubTest(self, test, subtest, err):
        # A failed subtest fails its test, and unittest then reports neither success nor failure for the test itself.
        super().addSubTest(test, subtest, err)
        if err is not None:
            self._record(test, "failed", f"{subtest.id()}\n{self._exc_info_to_string(err, test)}")

    def addExpectedFailure(self, test, err):
        super().addExpectedFailure(test, err)
        self._record(test, "passed", "failed as expected")

    def addUnexpectedSuccess(self, test):
        super().addUnexpectedSuccess(test)
        self._record(test, "failed", "passed, but was expected to fail")


def flatten(suite):
    for item in suite:
        if isinstance(item, unittest.TestSuite):
            yield from flatten(item)
        else:
            yield item


def main():
    out = os.fdopen(os.dup(1), "w", encoding="utf-8", buffering=1)
    os.dup2(2, 1)

    def sink(event):
        out.write(json.dumps(event) + "\n")

    sys.path[:0] = [WORK, TESTS]
    try:
        import solution  # noqa: F401  the submission, copied by grade.py to the work dir
    except BaseException as ex:  # noqa: B036  SystemExit or KeyboardInterrupt at import is an import failure too
        # The traceback from the submission on: this runner's own frame says nothing to a student.
        lines = traceback.format_exception(type(ex), ex, ex.__traceback__.tb_next)
        sink({"event": "import_error", "error": "".join(lines)})
        return
    suite = unittest.defaultTestLoader.discover(TESTS, pattern="test*.py", top_level_dir=TESTS)
    tests = list(flatten(suite))
    sink({"event": "plan", "tests": [t.id() for t in tests]})
    unittest.TestSuite(tests).run(Recorder(sink))
    sink({"event": "done"})
    out.close()
    os._exit(0)  # skip the submission's atexit handlers and lingering threads


if __name__ == "__main__":
    main()
