#!/bin/sh
# The minimal shell grader: runs the submission (/tmp/exercise) with sh and compares what it prints with the
# EXPECTED parameter. Full marks (10) when they match, 0 with both outputs in the comments otherwise.
# Prints one JSON response on stdout (schemas/container_response.json) and exits 0 whatever the grade.
# The submission runs confined (images/README.md, "Confinement"): the spawner runs it as uid 1001 in /tmp/run, with
# only the pipes below, and none of the grader's environment (EXPECTED included). EXPECTED is private
# (`confine init --private EXPECTED`): it is not in this process's environment, which under gVisor any uid can read,
# but in a memfd only the grader holds, read with `confine param` (the "x" keeps its trailing newlines).
json_escape() { sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/\t/\\t/g' | awk 'BEGIN{ORS=""} NR>1{print "\\n"} {print}'; }

if [ ! -r /tmp/exercise ]; then
  echo '{"success":false,"error":"no submission at /tmp/exercise"}'
  exit 0
fi

CONFINE=/grader/bin/confine
if expected=$($CONFINE param EXPECTED 2>/dev/null && echo x); then expected=${expected%x}; else expected=${EXPECTED-}; fi
unset EXPECTED
degraded=
case "${ALLOW_DEGRADED_CONFINEMENT-}" in 1|true|yes) degraded=--allow-degraded ;; esac
if ! $CONFINE check $degraded >/dev/null 2>/tmp/confine.txt; then
  printf '{"success":false,"error":"the grader refuses to run the submission here: %s"}\n' "$(head -c 1000 /tmp/confine.txt | json_escape)"
  exit 0
fi
mkdir -p /tmp/run && cp /tmp/exercise /tmp/run/exercise.sh
actual=$($CONFINE run --workdir /tmp/run $degraded -- /bin/sh exercise.sh </dev/null 2>/tmp/stderr.txt)
status=$?
if [ $status -ne 0 ]; then
  printf '{"success":false,"error":"the submission exited with status %s: %s"}\n' "$status" "$(head -c 500 /tmp/stderr.txt | json_escape)"
elif [ "$actual" = "$expected" ]; then
  echo '{"success":true,"grade":10,"max_grade":10,"comments":["Output matches the expected output."]}'
else
  printf '{"success":true,"grade":0,"max_grade":10,"comments":["Expected: %s","Got: %s"]}\n' \
    "$(printf '%s' "$expected" | head -c 500 | json_escape)" "$(printf '%s' "$actual" | head -c 500 | json_escape)"
fi
