"""Python unittest grader (issue #9): the teacher's tests, baked into the assignment image under
/grader/assignment (root-owned, the grader's group only), run against the submission, imported as the module
`solution`. Two modes (images/README.md, "Two modes"; issue #13):

  CASES=test   (default) the teacher's test*.py run with unittest in one confined process that imports the
               submission: full feedback, but the submission shares that process and could tamper with its own
               visible results. For feedback before the deadline.
  CASES=grade  the hidden checks of grade.json: this (trusted) grader sends calls to a confined worker that imports
               the submission and compares the answers itself; the expected values never enter the submission's
               process. For the grade that counts.

Params (job params arrive as environment variables):
  CASES=test|grade   which mode (default test)
  TIMEOUT=seconds    time limit for the whole run (default 10); tests or checks unfinished by then fail
  MAX_GRADE=number   what all tests passed scores (default 10)
  ALLOW_DEGRADED_CONFINEMENT=1  run even where the confinement is degraded (images/README.md, "Confinement")
"""
import json
import os
import shutil
import sys
import time

sys.path.insert(0, "/grader/lib")
import call_checks  # noqa: E402
import confine  # noqa: E402
from bounded_run import run_bounded, student_env  # noqa: E402
from correctomatic_grader import (ASSIGNMENT, SUBMISSION, GraderError, choice_param, clip, fail_submission,  # noqa: E402
                                  main, number_param, respond, score)

WORK = "/tmp/work"
HIDDEN_CHECKS = "grade.json"
CHANNEL_KEEP = 4 * 1024 * 1024  # the runner's events: every test's output, each clipped by grade.py


def read_events(stdout):
    """The runner's events: one JSON object per line on the pipe it was given (never a file the submission can
    reach). Anything else on it is ignored."""
    events = []
    for line in stdout.splitlines():
        try:
            event = json.loads(line)
        except ValueError:
            continue
        if isinstance(event, dict):
            events.append(event)
    return events


def require_confinement():
    try:
        confine.check()
    except confine.ConfinementRefused as ex:
        respond({"success": False, "error": f"the grader refuses to run the submission here: {clip(str(ex), 1000)}"})


def prepare_work(*extra):
    if not os.path.isfile(SUBMISSION):
        raise GraderError(f"no submission at {SUBMISSION}")
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    shutil.copyfile(SUBMISSION, os.path.join(WORK, "solution.py"))
    for source in extra:
        shutil.copyfile(source, os.path.join(WORK, os.path.basename(source)))


def share_with_submission(root):
    """The submission (uid 1001) reads what the grader copied: /grader's modes (group only) do not come along."""
    for directory, _, files in os.walk(root):
        os.chmod(directory, 0o755)
        for name in files:
            os.chmod(os.path.join(directory, name), 0o644)


def run_visible(timeout, max_grade):
    if not any(name.startswith("test") and name.endswith(".py") for name in os.listdir(ASSIGNMENT)):
        raise GraderError(f"the assignment image has no test*.py files in {ASSIGNMENT}")
    prepare_work("/grader/run_tests.py")
    # The visible tests are the submission's to read: a copy in its work dir, without the hidden checks.
    shutil.copytree(ASSIGNMENT, os.path.join(WORK, "tests"), ignore=shutil.ignore_patterns(HIDDEN_CHECKS))
    share_with_submission(WORK)
    child = run_bounded(["python3", "run_tests.py"], cwd=WORK, env=student_env(WORK), timeout=timeout,
                        keep=CHANNEL_KEEP)
    events = read_events(child.stdout)
    kinds = {e.get("event") for e in events}
    if "import_error" in kinds:
        error = next(e.get("error", "") for e in events if e.get("event") == "import_error")
        fail_submission(f"the submission cannot be imported:\n{error}")
    if "plan" not in kinds:
        if child.timed_out:
            fail_submission(f"importing the submission did not finish within {timeout:g} s")
        # The runner shares its process with the submission: an exit at import (os._exit, a signal) ends it.
        respond({"success": True, "grade": 0, "max_grade": max_grade,
                 "comments": [f"No test ran: the test run ended while importing the submission (exit {child.exit_code})."
                              + (f" {clip(child.stderr.strip(), 300)}" if child.stderr.strip() else "")]})

    planned = next(e.get("tests", []) for e in events if e.get("event") == "plan")
    if not planned:
        raise GraderError(f"no tests found in {ASSIGNMENT}")
    results = {e.get("id"): e for e in events if e.get("event") == "result"}
    unfinished = (f"did not finish within {timeout:g} s (the time limit of the test run)" if child.timed_out
                  else f"not run: the test run stopped (exit {child.exit_code})")
    per_test = round(max_grade / len(planned), 4)
    tests, comments, passed = [], [], 0
    for test_id in planned:
        result = results.get(test_id, {"status": "failed", "output": unfinished})
        ok = result.get("status") == "passed"
        passed += ok
        entry = {"name": str(test_id), "status": "passed" if ok else "failed", "score": per_test if ok else 0,
                 "max_score": per_test, "visibility": "visible"}
        if result.get("output"):
            entry["output"] = clip(str(result["output"]))
        tests.append(entry)
        if not ok:
            last = (str(result.get("output") or "")).strip().splitlines()[-1:] or ["failed"]
            comments.append(f"{test_id} failed: {clip(last[0], 300)}")
    respond({"success": True, "grade": score(passed, len(planned), max_grade), "max_grade": max_grade,
             "comments": [f"Passed {passed} of {len(planned)} tests.", *comments], "tests": tests})


def run_hidden(timeout, max_grade):
    path = os.path.join(ASSIGNMENT, HIDDEN_CHECKS)
    if not os.path.isfile(path):
        raise GraderError(f"CASES=grade needs {path} (the hidden checks; images/README.md)")
    try:
        checks = call_checks.load_checks(path)
    except (OSError, ValueError) as ex:
        raise GraderError(str(ex)) from None
    prepare_work("/grader/call_worker.py")
    share_with_submission(WORK)
    deadline = time.monotonic() + timeout
    worker = call_checks.Worker(["python3", "call_worker.py"], workdir=WORK, env=student_env(WORK))
    per_check = round(max_grade / len(checks), 4)
    tests, passed = [], 0
    try:
        for number, check in enumerate(checks, start=1):
            ok, _ = call_checks.verdict(check, worker.call(check, deadline))
            passed += ok
            # Hidden: the name only, never the arguments, the expected value or the answer:
            # a student who saw them could print the answers.
            tests.append({"name": str(check.get("name") or f"check {number}"), "status": "passed" if ok else "failed",
                          "score": per_check if ok else 0, "max_score": per_check, "visibility": "hidden"})
    finally:
        worker.close()
    respond({"success": True, "grade": score(passed, len(checks), max_grade), "max_grade": max_grade,
             "comments": [f"Passed {passed} of {len(checks)} hidden checks. Grade checks are hidden: only the counts "
                          "are shown."], "tests": tests})


def run():
    mode = choice_param("CASES", "test", ("test", "grade"))
    timeout = number_param("TIMEOUT", 10.0)
    max_grade = number_param("MAX_GRADE", 10.0)
    require_confinement()
    (run_visible if mode == "test" else run_hidden)(timeout, max_grade)


if __name__ == "__main__":
    main(run)
