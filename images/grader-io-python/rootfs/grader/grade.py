"""Input/output-cases grader for Python submissions (issue #9; seeds 001, 002, 000).

Runs /tmp/exercise once per line of <set>.in, the line's words as command-line arguments, and compares what it prints
with the same line of <set>.out. Two sets per assignment, baked into the assignment image at /grader/assignment:
`test` (shown before the deadline: input, expected and actual output in the comments) and `grade` (hidden cases run
after it: only pass/fail counts). Params (job params arrive as environment variables):
  CASES=test|grade          which set (default test)
  COMPARE=exact|whitespace  exact line, or runs of whitespace collapsed and ends trimmed (default exact)
  CASE_TIMEOUT=seconds      per-case time limit (default 2)
  MAX_GRADE=number          what all cases passed scores (default 10)
  ALLOW_DEGRADED_CONFINEMENT=1  run even where the confinement is degraded (images/README.md, "Confinement")
Each case runs confined (confine.py): uid 1001, /tmp/run its only writable dir, nothing under /grader readable.
"""
import shutil
import os
import sys

sys.path.insert(0, "/grader/lib")
import confine  # noqa: E402
from bounded_run import run_bounded, student_env  # noqa: E402
from correctomatic_grader import (ASSIGNMENT, SUBMISSION, GraderError, choice_param, clip, fail_submission,  # noqa: E402
                                  main, number_param, respond, score)

WORK = "/tmp/run"


def read_cases(case_set):
    def lines(name):
        path = os.path.join(ASSIGNMENT, name)
        try:
            with open(path, encoding="utf-8") as f:
                return [line.rstrip("\r") for line in f.read().split("\n")]
        except OSError as ex:
            raise GraderError(f"the assignment image has no {path}: {ex.strerror}") from None

    inputs, outputs = lines(f"{case_set}.in"), lines(f"{case_set}.out")
    # A final newline ends the last line; it does not start an extra case.
    for column in (inputs, outputs):
        if column and column[-1] == "":
            column.pop()
    if len(inputs) != len(outputs):
        raise GraderError(f"{case_set}.in has {len(inputs)} lines but {case_set}.out has {len(outputs)}")
    if not inputs:
        raise GraderError(f"{case_set}.in has no cases")
    return list(zip(inputs, outputs))


def same_output(actual, expected, compare):
    if compare == "whitespace":
        return actual.split() == expected.split()
    # exact: the line the program printed, its one final newline aside (a .out line cannot hold a newline).
    for ending in ("\r\n", "\n"):
        if actual.endswith(ending):
            actual = actual[: -len(ending)]
            break
    return actual == expected


def require_confinement():
    """success false, for the operator, when the spawner would not run a submission here (fail closed, issue #13)."""
    try:
        confine.check()
    except confine.ConfinementRefused as ex:
        respond({"success": False, "error": f"the grader refuses to run the submission here: {clip(str(ex), 1000)}"})


def check_compiles():
    try:
        with open(SUBMISSION, "rb") as f:
            source = f.read()
    except OSError as ex:
        raise GraderError(f"no submission at {SUBMISSION}: {ex.strerror}") from None
    try:
        compile(source, "exercise.py", "exec")
    except (SyntaxError, ValueError) as ex:
        where = f" (line {ex.lineno})" if getattr(ex, "lineno", None) else ""
        fail_submission(f"the submission does not compile: {type(ex).__name__}: {ex.msg if hasattr(ex, 'msg') else ex}{where}")


def describe_failure(run, timeout):
    if run.timed_out:
        return f"no answer within {timeout:g} s (the time limit per case)"
    if run.exit_code != 0:
        last = run.stderr.strip().splitlines()[-1:] or [""]
        return f"exited with status {run.exit_code}: {clip(last[0], 300)}"
    return None


def run():
    case_set = choice_param("CASES", "test", ("test", "grade"))
    compare = choice_param("COMPARE", "exact", ("exact", "whitespace"))
    timeout = number_param("CASE_TIMEOUT", 2.0)
    max_grade = number_param("MAX_GRADE", 10.0)
    cases = read_cases(case_set)
    check_compiles()
    require_confinement()
    os.makedirs(WORK, exist_ok=True)
    # The submission reads its own copy: /tmp/exercise is outside its work dir, /grader (grade.out) out of its reach.
    shutil.copyfile(SUBMISSION, os.path.join(WORK, "exercise.py"))

    hidden = case_set == "grade"
    per_case = round(max_grade / len(cases), 4)
    passed, comments, tests = 0, [], []
    for number, (line, expected) in enumerate(cases, start=1):
        result = run_bounded(["python3", "exercise.py", *line.split()], cwd=WORK, env=student_env(WORK), timeout=timeout)
        failure = describe_failure(result, timeout)
        ok = failure is None and same_output(result.stdout, expected, compare)
        passed += ok
        entry = {"name": f"{case_set} case {number}", "status": "passed" if ok else "failed",
                 "score": per_case if ok else 0, "max_score": per_case}
        if hidden:
            # Grade cases are hidden: no input, no expected or actual output, only the verdict: a student who saw them could print the answers.
            entry["visibility"] = "hidden"
        else:
            actual = clip(result.stdout.rstrip("\n"), 500)
            detail = f"input: {line!r}; expected: {expected!r}; actual: {actual!r}" + (f"; {failure}" if failure else "")
            entry["visibility"] = "visible"
            entry["output"] = detail
            comments.append(f"Case {number} {'passed' if ok else 'failed'}: {detail}")
        tests.append(entry)

    summary = f"Passed {passed} of {len(cases)} {case_set} cases."
    if hidden:
        summary += " Grade cases are hidden: only the counts are shown."
    respond({"success": True, "grade": score(passed, len(cases), max_grade), "max_grade": max_grade,
             "comments": [summary, *comments], "tests": tests})


if __name__ == "__main__":
    main(run)
