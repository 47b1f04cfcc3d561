"""Python unittest grader (issue #9; seed 003): the teacher's tests, baked into the assignment image under
/grader/assignment (root-owned, read-only), run against the submission, imported as the module `solution`.

Params (job params arrive as environment variables):
  TIMEOUT=seconds    time limit for the whole test run (default 10); tests unfinished by then fail
  MAX_GRADE=number   what all tests passed scores (default 10)
"""
import json
import os
import shutil
import sys

sys.path.insert(0, "/grader/lib")
from bounded_run import run_bounded, student_env  # noqa: E402
from correctomatic_grader import (ASSIGNMENT, SUBMISSION, GraderError, clip, fail_submission, main,  # noqa: E402
                                  number_param, respond, score)

WORK = "/tmp/work"
EVENTS = "/tmp/grader-events.jsonl"


def read_events():
    events = []
    try:
        with open(EVENTS, encoding="utf-8") as f:
            for line in f:
                try:
                    events.append(json.loads(line))
                except json.JSONDecodeError:
                    break  # a line cut short by the time limit
    except FileNotFoundError:
        pass
    return events


def run():
    timeout = number_param("TIMEOUT", 10.0)
    max_grade = number_param("MAX_GRADE", 10.0)
    if not any(name.startswith("test") and name.endswith(".py") for name in os.listdir(ASSIGNMENT)):
        raise GraderError(f"the assignment image has no test*.py files in {ASSIGNMENT}")
    if not os.path.isfile(SUBMISSION):
        raise GraderError(f"no submission at {SUBMISSION}")
    os.makedirs(WORK, exist_ok=True)
    shutil.copyfile(SUBMISSION, os.path.join(WORK, "solution.py"))

    child = run_bounded(["python3", "/grader/run_tests.py", EVENTS], cwd=WORK, env=student_env(WORK),
                        timeout=timeout)
    events = read_events()
    kinds = {e.get("event") for e in events}
    if "import_error" in kinds:
        error = next(e["error"] for e in events if e.get("event") == "import_error")
        fail_submission(f"the submission cannot be imported:\n{error}")
    if "plan" not in kinds:
        if child.timed_out:
            fail_submission(f"importing the submission did not finish within {timeout:g} s")
        raise GraderError(f"the test run ended before it started (exit {child.exit_code}): {clip(child.stderr, 500)}")

    planned = next(e["tests"] for e in events if e.get("event") == "plan")
    if not planned:
        raise GraderError(f"no tests found in {ASSIGNMENT}")
    results = {e["id"]: e for e in events if e.get("event") == "result"}
    unfinished = (f"did not finish within {timeout:g} s (the time limit of the test run)" if child.timed_out
                  else f"not run: the test run stopped (exit {child.exit_code})")
    per_test = round(max_grade / len(planned), 4)
    tests, comments, passed = [], [], 0
    for test_id in planned:
        result = results.get(test_id, {"status": "failed", "output": unfinished})
        ok = result["status"] == "passed"
        passed += ok
        entry = {"name": test_id, "status": result["status"], "score": per_test if ok else 0, "max_score": per_test,
                 "visibility": "visible"}
        if result.get("output"):
            entry["output"] = clip(result["output"])
        tests.append(entry)
        if not ok:
            last = (result.get("output") or "").strip().splitlines()[-1:] or ["failed"]
            comments.append(f"{test_id} failed: {clip(last[0], 300)}")
    respond({"success": True, "grade": score(passed, len(planned), max_grade), "max_grade": max_grade,
             "comments": [f"Passed {passed} of {len(planned)} tests.", *comments], "tests": tests})


if __name__ == "__main__":
    main(run)
