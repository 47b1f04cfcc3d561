"""What every Python grader shares: reading params, printing the one response (images/README.md, "The contract").

The response follows schemas/container_response.json. The grader prints it as the whole of its stdout and exits 0
when the correction completed, whatever the grade; a failure of the grader itself exits non-zero (issue #9).
"""
import json
import os
import sys

SUBMISSION = "/tmp/exercise"
ASSIGNMENT = "/grader/assignment"
OUTPUT_LIMIT = 2000  # characters of a student's output kept in one comment or test output


class GraderError(Exception):
    """The grader itself cannot work (a broken assignment image, a bad param): exit 2, not a grade."""


def param(name, default):
    """A job param (`params: ["KEY=VALUE"]` in the pending job arrives as an environment variable)."""
    value = os.environ.get(name, "")
    return value if value != "" else default


def number_param(name, default, minimum=0.0):
    raw = param(name, None)
    if raw is None:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise GraderError(f"param {name}={raw!r} is not a number") from None
    if value <= minimum:
        raise GraderError(f"param {name}={raw!r} must be greater than {minimum:g}")
    return value


def choice_param(name, default, choices):
    value = param(name, default).lower()
    if value not in choices:
        raise GraderError(f"param {name}={value!r} must be one of {', '.join(choices)}")
    return value


def clip(text, limit=OUTPUT_LIMIT):
    return text if len(text) <= limit else text[:limit] + f"... ({len(text) - limit} more characters)"


def score(passed, total, max_grade):
    """grade = passed / total scaled to max_grade, rounded to two decimals."""
    return round(max_grade * passed / total, 2) if total else 0


def respond(response):
    """Prints the one response and exits 0: the correction completed (success true or false)."""
    sys.stdout.write(json.dumps(response, ensure_ascii=False) + "\n")
    sys.stdout.flush()
    sys.exit(0)


def fail_submission(error):
    """The submission cannot be graded (does not compile, raises at import): success false, still exit 0."""
    respond({"success": False, "error": clip(error)})


def main(run):
    """Runs a grader's `run()`; its own failures exit 2 with the reason on stderr (the pipeline's stderr tail)."""
    try:
        run()
    except GraderError as ex:
        print(f"grader error: {ex}", file=sys.stderr)
        sys.exit(2)
