"""Child process of grade.py: imports the submission, then runs the teacher's unittest tests against it.

Writes one JSON line per event to the file named by argv[1]: {"event":"import_error"}, {"event":"plan"} with every
test id, then {"event":"result"} per finished test, so the parent knows what finished if a test loops forever.
The submission runs in this process (it is imported), so its own prints are captured per test (buffer) and never
reach the container's stdout: only grade.py prints the response.
"""
import json
import os
import sys
import traceback
import unittest

WORK, ASSIGNMENT = "/tmp/work", "/grader/assignment"


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
    out = open(sys.argv[1], "a", encoding="utf-8", buffering=1)

    def sink(event):
        out.write(json.dumps(event) + "\n")

    sys.path[:0] = [WORK, ASSIGNMENT]
    try:
        import solution  # noqa: F401  the submission, copied by grade.py to /tmp/work/solution.py
    except BaseException as ex:  # noqa: B036  SystemExit or KeyboardInterrupt at import is an import failure too
        # The traceback from the submission on: this runner's own frame says nothing to a student.
        lines = traceback.format_exception(type(ex), ex, ex.__traceback__.tb_next)
        sink({"event": "import_error", "error": "".join(lines)})
        return
    suite = unittest.defaultTestLoader.discover(ASSIGNMENT, pattern="test*.py", top_level_dir=ASSIGNMENT)
    tests = list(flatten(suite))
    sink({"event": "plan", "tests": [t.id() for t in tests]})
    unittest.TestSuite(tests).run(Recorder(sink))
    sink({"event": "done"})
    out.close()
    os._exit(0)  # skip the submission's atexit handlers and lingering threads


if __name__ == "__main__":
    main()
