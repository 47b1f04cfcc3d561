#!/usr/bin/env bash
# The demo through the compose deployment (issue #16): builds the service images (cached), generates keys as compose
# secrets, starts deploy/docker-compose.yml with the demo receiver under a project name and queue prefix of its own,
# waits for every health check, submits the demo's four jobs (passing, failing, crashing, looping) from a one-off CLI
# container, and checks each verified callback's status. Stops and removes everything it started (containers, volume,
# network, grader containers of its prefix). Exit 0 when all four arrived as expected. COMPOSE_DEMO_TIMEOUT: seconds (180).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v docker-compose >/dev/null || { echo "compose-demo: docker-compose is missing (apt-get install docker-compose; utils/setup.sh does)" >&2; exit 2; }
export DOCKER_HOST=${DOCKER_HOST:-unix:///var/run/docker.sock}
socket=${DOCKER_HOST#unix://}
timeout_s=${COMPOSE_DEMO_TIMEOUT:-180}
id="$$-${RANDOM}"
project="ctdemo${id//-/}"
export QUEUE_PREFIX="compose-demo-$id:" DOCKER_HOST_ID="compose-demo-$id" DOCKER_SOCKET=$socket DOCKER_GID=$(stat -c %g "$socket")
export JOB_TIMEOUT=20s COMPLETER_SWEEP_INTERVAL=1s CALLBACK_BACKOFF_BASE=500ms
# The receiver sits on the compose network, a private range: allowed for this demo only.
export CALLBACK_ALLOWED_NETWORKS=10.0.0.0/8,172.16.0.0/12,192.168.0.0/16

built=$(utils/build-service-images.sh) || { echo "compose-demo: building the service images failed" >&2; exit 1; }
[ -z "$built" ] || echo "compose-demo: $built"

work=$(mktemp -d /tmp/correctomatic-compose-demo.XXXXXX)
export SECRETS_DIR=$work/secrets
compose=(docker-compose -p "$project" -f deploy/docker-compose.yml --profile demo)
cleanup() {
  local status=$?
  if [ $status -ne 0 ]; then "${compose[@]}" logs --no-color --tail 20 >&2 2>&1 || true; fi
  "${compose[@]}" down -v --remove-orphans >/dev/null 2>&1 || true
  # Grader containers of this demo's prefix only (never by name, never another deployment's).
  docker ps -aq --filter "label=correctomatic.managed=$QUEUE_PREFIX" | xargs -r docker rm -f >/dev/null 2>&1 || true
  rm -rf "$work"
  exit $status
}
trap cleanup EXIT INT TERM

# Secrets as files, readable by the services' user (10001) only.
mkdir -p "$SECRETS_DIR" "$work/jobs" && chown 10001:10001 "$SECRETS_DIR"
docker run --rm --network none --user 10001:10001 -v "$SECRETS_DIR:/out" correctomatic/cli:latest generate-keys --output /out >/dev/null
mv "$SECRETS_DIR/privateKey.pem" "$SECRETS_DIR/callback_signing_key.pem"
mv "$SECRETS_DIR/publicKey.pem" "$SECRETS_DIR/callback_public_key.pem"
printf 'redis://redis:6379\n' > "$SECRETS_DIR/redis_url"
chown 10001:10001 "$SECRETS_DIR"/* && chmod 600 "$SECRETS_DIR"/*

echo "compose-demo: starting redis, starter, completer, notifier and the receiver (project $project, QUEUE_PREFIX=$QUEUE_PREFIX)"
"${compose[@]}" up -d >/dev/null 2>"$work/up.log" || { cat "$work/up.log" >&2; exit 1; }

deadline=$((SECONDS + timeout_s))
for service in redis starter completer notifier; do
  container=$("${compose[@]}" ps -q "$service")
  until [ "$(docker inspect -f '{{.State.Health.Status}}' "$container")" = healthy ]; do
    [ $SECONDS -lt $deadline ] || { echo "compose-demo: $service did not become healthy" >&2; exit 1; }
    sleep 1
  done
done
echo "compose-demo: every service is healthy (redis PING; /health/ready of starter, completer, notifier)"

submit() { # name, script, extra args...
  local name=$1 script=$2; shift 2
  printf '%s\n' "$script" > "$work/jobs/$name.sh"; chmod 755 "$work/jobs"; chmod 644 "$work/jobs/$name.sh"
  local job
  job=$("${compose[@]}" run --rm --no-deps -T -e REDIS_URL=redis://redis:6379 -e "QUEUE_PREFIX=$QUEUE_PREFIX" -v "$work/jobs:/jobs:ro" \
    receiver submit --image correctomatic/grader-shell:latest --callback http://receiver:8080/callbacks \
    --file "/jobs/$name.sh" --work-id "$name" --param EXPECTED=hello "$@" 2>"$work/submit.log") \
    || { cat "$work/submit.log" >&2; exit 1; }
  echo "compose-demo: submitted $name as job $job"
}
submit passing 'echo hello'
submit failing 'echo goodbye'
submit crashing 'echo "oops" >&2; exit 3'
submit looping 'while :; do :; done' --timeout-seconds 3

callbacks() { "${compose[@]}" logs --no-color receiver 2>/dev/null | sed -n 's/^[^|]*| //p' | grep '^verified callback' || true; }
until [ "$(callbacks | wc -l)" -ge 4 ] || [ $SECONDS -ge $deadline ]; do sleep 1; done
callbacks | sed 's/^verified callback for job [^:]*: /compose-demo: callback: /'

failed=0
for pair in passing:graded failing:graded crashing:grader_failed looping:timeout; do
  name=${pair%%:*} status=${pair#*:}
  if callbacks | grep -q "\"status\":\"$status\".*\"work_id\":\"$name\"\|\"work_id\":\"$name\".*\"status\":\"$status\""; then
    echo "compose-demo: $name -> $status, as expected"
  else
    echo "compose-demo: $name -> no verified callback with status $status" >&2; failed=1
  fi
done
if "${compose[@]}" logs --no-color receiver 2>/dev/null | grep -q '| refused'; then echo "compose-demo: the receiver refused a callback" >&2; failed=1; fi
[ $failed = 0 ] && echo "compose-demo: all four callbacks arrived through the compose deployment, signed and verified" && exit 0
exit 1
