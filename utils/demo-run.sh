#!/usr/bin/env bash
# The core of the demo (issue #8): with the solution built (Release) and a Docker engine and Redis reachable, it
# generates keys, starts a verifying callback receiver and the three services, submits four jobs to the sample shell
# grader (one that passes, one with wrong output, one that crashes, one that loops forever), prints each verified
# callback as it arrives, and stops everything it started. Exit 0 when all four callbacks arrived with the expected
# status. utils/demo.sh runs setup and the build first; tests run this script directly.
#   REDIS_URL (default redis://127.0.0.1:6379), DOCKER_HOST: as for the services. DEMO_TIMEOUT: seconds to wait (120).
set -euo pipefail
cd "$(dirname "$0")/.."
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379}
export DOCKER_HOST=${DOCKER_HOST:-unix:///var/run/docker.sock}
# Our own prefix, so the demo never touches another deployment's streams or containers; no .env from the caller.
export QUEUE_PREFIX="demo-$$-${RANDOM}:"
export CORRECTOMATIC_ENV_FILE=/nonexistent/.env
timeout_s=${DEMO_TIMEOUT:-120}
bin=bin/Release/net10.0
cli=(dotnet "utils/Correctomatic.Cli/$bin/correctomatic.dll")
for dll in "Starter/$bin/Correctomatic.Starter.dll" "Completer/$bin/Correctomatic.Completer.dll" "Notifier/$bin/Correctomatic.Notifier.dll" "${cli[1]}"; do
  [ -f "$dll" ] || { echo "demo: $dll is not built; run 'dotnet build Correctomatic.sln -c Release' (utils/demo.sh does)" >&2; exit 2; }
done

work=$(mktemp -d /tmp/correctomatic-demo.XXXXXX)
pids=()
cleanup() {
  local status=$?
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  "${cli[@]}" remove-containers >/dev/null 2>&1 || true
  "${cli[@]}" reset-queues --yes >/dev/null 2>&1 || true
  if [ $status -ne 0 ]; then
    for log in "$work"/*.log; do echo "--- last lines of $(basename "$log")" >&2; tail -n 15 "$log" >&2; done
  fi
  rm -rf "$work"
  exit $status
}
trap cleanup EXIT INT TERM

echo "demo: generating an ES256 key pair in $work"
"${cli[@]}" generate-keys --output "$work" >/dev/null

"${cli[@]}" receiver --listen http://127.0.0.1:0 --public-key "$work/publicKey.pem" >"$work/callbacks.out" 2>"$work/receiver.log" &
pids+=($!)
for _ in $(seq 1 100); do grep -q 'listening on' "$work/receiver.log" 2>/dev/null && break; sleep 0.2; done
receiver=$(grep -o 'http://127.0.0.1:[0-9]*' "$work/receiver.log" | head -1)
[ -n "$receiver" ] || { echo "demo: the receiver did not start" >&2; exit 1; }
echo "demo: callback receiver listening on $receiver (verifies every signature with publicKey.pem)"

# The services, with settings for a quick demo: callbacks to loopback allowed (it is where the receiver is).
export CALLBACK_SIGNING_KEY_FILE="$work/privateKey.pem" CALLBACK_ALLOWED_NETWORKS=127.0.0.0/8
# Health and metrics on free loopback ports (another deployment may hold the default ones).
export STARTER_HEALTH_LISTEN=http://127.0.0.1:0 COMPLETER_HEALTH_LISTEN=http://127.0.0.1:0 NOTIFIER_HEALTH_LISTEN=http://127.0.0.1:0
export JOB_TIMEOUT=20s COMPLETER_SWEEP_INTERVAL=1s STARTER_READ_BLOCK=1s NOTIFIER_READ_BLOCK=1s CALLBACK_BACKOFF_BASE=500ms
for service in Starter Completer Notifier; do
  dotnet "$service/$bin/Correctomatic.$service.dll" >"$work/${service,,}.log" 2>&1 &
  pids+=($!)
done
echo "demo: started starter, completer and notifier (QUEUE_PREFIX=$QUEUE_PREFIX)"

submit() { # name, script, extra args...
  local name=$1 script=$2; shift 2
  printf '%s\n' "$script" >"$work/$name.sh"
  local id; id=$("${cli[@]}" submit --image correctomatic/grader-shell:latest --callback "$receiver/callbacks" \
    --file "$work/$name.sh" --work-id "$name" --param EXPECTED=hello "$@")
  echo "demo: submitted $name as job $id"
}
submit passing 'echo hello'
submit failing 'echo goodbye'
submit crashing 'echo "oops" >&2; exit 3'
submit looping 'while :; do :; done' --timeout-seconds 3

expected=(passing:graded failing:graded crashing:grader_failed looping:timeout)
seen=0
deadline=$((SECONDS + timeout_s))
while [ $seen -lt ${#expected[@]} ] && [ $SECONDS -lt $deadline ]; do
  count=$(grep -c '^verified callback' "$work/callbacks.out" || true)
  while [ $seen -lt "$count" ]; do
    seen=$((seen + 1))
    echo "demo: callback $seen: $(grep '^verified callback' "$work/callbacks.out" | sed -n "${seen}p" | sed 's/^verified callback for job [^:]*: //')"
  done
  sleep 0.5
done

failed=0
for pair in "${expected[@]}"; do
  name=${pair%%:*} status=${pair#*:}
  if grep '^verified callback' "$work/callbacks.out" | grep -q "\"status\":\"$status\".*\"work_id\":\"$name\"\|\"work_id\":\"$name\".*\"status\":\"$status\""; then
    echo "demo: $name -> $status, as expected"
  else
    echo "demo: $name -> no callback with status $status" >&2
    failed=1
  fi
done
if grep -q '^refused' "$work/receiver.log"; then echo "demo: the receiver refused a callback:" >&2; grep '^refused' "$work/receiver.log" >&2; failed=1; fi
[ $failed = 0 ] && echo "demo: all four callbacks arrived, signed and verified" && exit 0
exit 1
