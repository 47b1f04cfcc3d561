"""The confined worker of hidden checks (call_checks.py): imports the submission, answers calls, knows no answers.

Reads {"id", "call", "args", "kwargs"} lines on stdin; writes {"id", "value"} or {"id", "raised", "classes",
"message"} lines on the channel (a copy of the stdout it was given; its own fd 1 then points at stderr, so the
submission's prints never mix with the answers). It runs as uid 1001 with the submission, so it is not trusted:
grade.py compares the answers with what it expects, which never enters this process.
"""
import json
import os
import sys
import traceback


def main():
    channel = os.fdopen(os.dup(1), "w", encoding="utf-8", buffering=1)
    os.dup2(2, 1)
    sys.path.insert(0, os.getcwd())
    try:
        import solution  # noqa: F401  the submission, copied by grade.py into the work dir
    except BaseException as ex:  # noqa: B036  SystemExit at import is an import failure too
        print("".join(traceback.format_exception(type(ex), ex, ex.__traceback__.tb_next)), file=sys.stderr)
        return
    for line in sys.stdin:
        try:
            request = json.loads(line)
            token = request["id"]
        except (ValueError, KeyError, TypeError):
            continue
        answer = {"id": token}
        try:
            function = getattr(solution, request["call"])
            value = function(*request.get("args", []), **request.get("kwargs", {}))
            try:
                answer["value"] = json.loads(json.dumps(value, allow_nan=False))
            except (TypeError, ValueError):
                answer["unserialisable"] = repr(value)[:200]
        except Exception as ex:  # noqa: BLE001  what the submission raised is the answer
            answer.update(raised=type(ex).__name__, classes=[c.__name__ for c in type(ex).__mro__], message=str(ex)[:500])
        channel.write(json.dumps(answer) + "\n")
    os._exit(0)


if __name__ == "__main__":
    main()
