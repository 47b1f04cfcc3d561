#!/usr/bin/env bash
# Our own fault-injection run (issue #15), sized for CI: N grading jobs (graders that nap a second or 15, then answer)
# through the Starter, Completer and Notifier run as processes, while each stage is SIGKILLed and restarted, Redis is
# SIGKILLed and restarted on its AOF, the callback receiver answers 503 for a while, and the Docker engine is restarted
# with live-restore and then without it. It asserts, for every job: exactly one finished entry and one verdict, the
# right one for what its grader did (graded 10 for the right output, graded 0 for the wrong one); no container and no
# volume left; every consumer group's pending count at 0; nothing dead.
# Everything is private to the run: a redis-server on a unix socket (AOF everysec) and a dockerd of its own (own socket,
# data root, exec root; no bridge, no iptables), so neither the shared Redis nor the shared engine is ever restarted.
# Needs root (dockerd), the Release build, and correctomatic/grader-shell:latest on the main engine.
# Usage: utils/chaos.sh [--jobs N=20]   (about 2-3 minutes on 2 cores)
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
jobs_total=20
while [ $# -gt 0 ]; do
  case "$1" in
    --jobs) jobs_total=$2; shift 2 ;;
    *) echo "usage: utils/chaos.sh [--jobs N]" >&2; exit 2 ;;
  esac
done
[ "$jobs_total" -ge 6 ] || { echo "chaos: --jobs must be at least 6 (three waves)" >&2; exit 2; }
for tool in dockerd docker redis-server redis-cli jq python3; do
  command -v "$tool" >/dev/null || { echo "chaos: $tool is missing: run sudo ./utils/setup.sh" >&2; exit 1; }
done
bin=bin/Release/net10.0
cli=(dotnet "utils/Correctomatic.Cli/$bin/correctomatic.dll")
for dll in "Starter/$bin/Correctomatic.Starter.dll" "Completer/$bin/Correctomatic.Completer.dll" "Notifier/$bin/Correctomatic.Notifier.dll" "${cli[1]}"; do
  [ -f "$dll" ] || { echo "chaos: $dll is not built; run 'dotnet build Correctomatic.sln -c Release'" >&2; exit 2; }
done
image=correctomatic/grader-shell:latest
main_docker=${DOCKER_HOST:-unix:///var/run/docker.sock}
docker -H "$main_docker" image inspect "$image" >/dev/null 2>&1 || { echo "chaos: $image is missing: run utils/build-images.sh" >&2; exit 1; }

# Short: the engine's unix socket path must fit in 108 bytes.
work=$(mktemp -d /tmp/ctc.XXXXXX)
engine_sock=$work/d.sock
engine=unix://$engine_sock
declare -A pid=() work_of=()
wrong=()
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  for name in "${!pid[@]}"; do [ "$name" = dockerd ] || kill -KILL "${pid[$name]}" 2>/dev/null || true; done
  if [ -n "${pid[dockerd]:-}" ]; then
    # Ours alone: every container and volume of the private engine, then the engine (SIGTERM stops its containerd).
    docker -H "$engine" ps -aq 2>/dev/null | xargs -r docker -H "$engine" rm -f -v >/dev/null 2>&1 || true
    kill -TERM "${pid[dockerd]}" 2>/dev/null || true
    for _ in $(seq 1 150); do kill -0 "${pid[dockerd]}" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "${pid[dockerd]}" 2>/dev/null || true
    # With live-restore, dockerd leaves its containerd and shims running: stop those of our exec root (this run's
    # unique temp dir is in their command line), by pid.
    for p in $(pgrep -f "containerd.*$work/exec" || true); do kill -KILL "$p" 2>/dev/null || true; done
  fi
  if [ $status -ne 0 ]; then
    for log in "$work"/*.log; do [ -f "$log" ] && { echo "--- last lines of $(basename "$log")" >&2; tail -n 20 "$log" >&2; }; done
    # Last, where a log's tail shows it: what the services said about each job that went wrong.
    for job in "${wrong[@]}"; do
      echo "--- the services' lines about $job" >&2
      grep -h -w -F -e "$job" -e "work_id=${work_of[$job]}" "$work"/starter.log "$work"/completer.log "$work"/notifier.log 2>/dev/null \
        | grep -v '^ ' | sort | cut -c1-320 | tail -n 40 >&2
    done
    for job in "${wrong[@]}"; do echo "chaos: wrong outcome for job $job (${work_of[$job]})" >&2; done
  fi
  umount -R "$work/data" 2>/dev/null || true
  rm -rf "$work" 2>/dev/null || true
  exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM
say() { echo "chaos: $*"; }
wait_for() { # seconds, description, command...
  local seconds=$1 what=$2; shift 2
  local until=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $until ] || { echo "chaos: timed out waiting for $what" >&2; return 1; }
    sleep 0.2
  done
}

# --- the private engine ---------------------------------------------------------------------------------------
echo '{"live-restore": true}' >"$work/daemon.json"
start_engine() {
  dockerd -H "$engine" --data-root "$work/data" --exec-root "$work/exec" --pidfile "$work/docker.pid" \
    --bridge=none --iptables=false --config-file "$work/daemon.json" >>"$work/dockerd.log" 2>&1 &
  pid[dockerd]=$!
  wait_for 60 "the private dockerd" docker -H "$engine" version
}
start_engine
docker -H "$main_docker" save "$image" | docker -H "$engine" load >/dev/null
say "private dockerd up (live-restore: $(docker -H "$engine" info --format '{{.LiveRestoreEnabled}}')), $image loaded"

# --- Redis ----------------------------------------------------------------------------------------------------
mkdir -p "$work/redis"
redis_sock=$work/redis.sock
start_redis() {
  redis-server --port 0 --unixsocket "$redis_sock" --unixsocketperm 700 --dir "$work/redis" \
    --appendonly yes --appendfsync everysec --save '' >>"$work/redis.log" 2>&1 &
  pid[redis]=$!
  wait_for 30 "redis-server" redis-cli -s "$redis_sock" ping
}
start_redis
rcli() { redis-cli -s "$redis_sock" "$@"; }

# --- the receiver (fixed port: it is restarted, and a 503 server stands in for it meanwhile) -------------------
"${cli[@]}" generate-keys --output "$work" >/dev/null
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
start_receiver() {
  "${cli[@]}" receiver --listen "http://127.0.0.1:$port" --public-key "$work/publicKey.pem" --json >>"$work/callbacks.out" 2>>"$work/receiver.log" &
  pid[receiver]=$!
  wait_for 30 "the receiver" bash -c "grep -c 'listening on' '$work/receiver.log' | grep -qx '$1'"
}
start_receiver 1

# --- the services ---------------------------------------------------------------------------------------------
export REDIS_URL=unix://$redis_sock DOCKER_HOST=$engine QUEUE_PREFIX="chaos-$$:" DOCKER_HOST_ID=chaos-engine
export CORRECTOMATIC_ENV_FILE=/nonexistent/.env ALLOWED_IMAGES='correctomatic/*' JOB_TIMEOUT=30s
export CALLBACK_SIGNING_KEY_FILE="$work/privateKey.pem" CALLBACK_ALLOWED_NETWORKS=127.0.0.0/8
export CALLBACK_BACKOFF_BASE=200ms CALLBACK_BACKOFF_MAX=2s CALLBACK_TIMEOUT=5s
export STARTER_HEALTH_LISTEN=http://127.0.0.1:0 COMPLETER_HEALTH_LISTEN=http://127.0.0.1:0 NOTIFIER_HEALTH_LISTEN=http://127.0.0.1:0
export STARTER_READ_BLOCK=500ms STARTER_RECLAIM_INTERVAL=1s STARTER_RECLAIM_MIN_IDLE=5s STARTER_CONCURRENCY=4
export COMPLETER_SWEEP_INTERVAL=500ms COMPLETER_RECLAIM_IDLE=5s COMPLETER_ORPHAN_GRACE=10s COMPLETER_CONCURRENCY=4
export NOTIFIER_READ_BLOCK=500ms NOTIFIER_RECLAIM_IDLE=5s NOTIFIER_RECLAIM_INTERVAL=1s QUEUE_MAX_DELIVERIES=20
start_service() { # Starter | Completer | Notifier
  dotnet "$1/$bin/Correctomatic.$1.dll" >>"$work/${1,,}.log" 2>&1 &
  pid[$1]=$!
}
for service in Starter Completer Notifier; do start_service "$service"; done
kill_and_restart() {
  say "SIGKILL $1 (pid ${pid[$1]}), restarted"
  kill -KILL "${pid[$1]}"
  wait "${pid[$1]}" 2>/dev/null || true
  start_service "$1"
}

# --- jobs -----------------------------------------------------------------------------------------------------
declare -A expected=()
submitted=0
submit_wave() { # count [nap seconds, 1]
  local i data id answer nap=${2:-1}
  for i in $(seq 1 "$1"); do
    submitted=$((submitted + 1))
    if [ $((submitted % 2)) = 0 ]; then answer=hello; else answer=bye; fi
    data=$(jq -cn --arg cb "http://127.0.0.1:$port/callbacks" --arg w "chaos-$submitted" \
      --arg f "$(printf 'sleep %s; echo %s\n' "$nap" "$answer" | base64 -w0)" \
      '{image: "correctomatic/grader-shell:latest", callback: $cb, work_id: $w, file_content: $f, params: ["EXPECTED=hello"]}')
    id=$(rcli XADD "${QUEUE_PREFIX}pending" '*' data "$data")
    if [ "$answer" = hello ]; then expected[$id]=10; else expected[$id]=0; fi
    work_of[$id]=chaos-$submitted
  done
  say "submitted $1 jobs ($submitted so far, napping ${nap}s)"
}
running_graders() { [ "$(docker -H "$engine" ps -q --filter "label=correctomatic.managed=$QUEUE_PREFIX" | wc -l)" -ge "${1:-1}" ]; }
restart_engine() { # live-restore true|false, running graders to wait for
  echo "{\"live-restore\": $1}" >"$work/daemon.json"
  kill -HUP "${pid[dockerd]}"   # live-restore is reloadable (docs: "reload the Docker daemon")
  wait_for 20 "live-restore=$1 after SIGHUP" bash -c "[ \"\$(docker -H '$engine' info --format '{{.LiveRestoreEnabled}}')\" = $1 ]"
  wait_for 30 "$2 running graders" running_graders "$2"
  # A clean stop (an upgrade). With live-restore the graders go on; without it the engine stops them first: SIGTERM,
  # which grader-shell's PID 1 (confine init) passes to grade.sh, which dies of it (exit 143), SIGKILL after the 10 s
  # stop timeout otherwise. Either is an infrastructure fault, so those jobs run again. A SIGKILLed dockerd could not
  # restart its own containerd here ("timeout waiting for containerd to start"), so no crash case.
  engine_stopped_under=$(docker -H "$engine" ps -q | wc -l)
  say "restarting the engine under $engine_stopped_under running graders (live-restore $1)"
  kill -TERM "${pid[dockerd]}"
  wait "${pid[dockerd]}" 2>/dev/null || true
  start_engine
}

wave=$((jobs_total / 3))
submit_wave $((jobs_total - 2 * wave))
wait_for 30 "a running grader" running_graders
kill_and_restart Starter
wait_for 30 "a running grader" running_graders
kill_and_restart Completer
sleep 1   # not a wait for a condition: the point is to hit the notifier while callbacks flow
kill_and_restart Notifier
say "SIGKILL redis-server, restarted on its AOF"
kill -KILL "${pid[redis]}"; wait "${pid[redis]}" 2>/dev/null || true
start_redis
say "receiver down, a 503 server in its place for 6 s"
kill -TERM "${pid[receiver]}"; wait "${pid[receiver]}" 2>/dev/null || true
python3 - "$port" >>"$work/503.log" 2>&1 <<'EOF' &
import http.server, sys, threading
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(503); self.send_header("Content-Length", "0"); self.end_headers()
server = http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), H)
threading.Timer(6, server.shutdown).start()
server.serve_forever()
EOF
pid[http503]=$!
wait "${pid[http503]}" || true
unset 'pid[http503]'
start_receiver 2
submit_wave "$wave"
restart_engine true 1
# Graders that nap 15 s, alone on the engine: every one it stops is a sure infrastructure fault, and must run again.
wait_for 60 "the earlier graders to end" bash -c "[ -z \"\$(docker -H '$engine' ps -q)\" ]"
submit_wave "$wave" 15
restart_engine false "$wave"

# --- the verdicts ---------------------------------------------------------------------------------------------
verdicts() { jq -r 'select(.verified) | "\(.JobId) \(.body.status) \(.body.grade)"' "$work/callbacks.out" 2>/dev/null | sort -u; }
all_called_back() { [ "$(verdicts | cut -d' ' -f1 | sort -u | wc -l)" -ge "$jobs_total" ]; }
wait_for 240 "a callback for each of $jobs_total jobs (have $(verdicts | cut -d' ' -f1 | sort -u | wc -l))" all_called_back
settled() {
  [ -z "$(docker -H "$engine" ps -aq)" ] && [ -z "$(docker -H "$engine" volume ls -q)" ] || return 1
  local stream
  for stream in pending running finished; do
    rcli XINFO GROUPS "${QUEUE_PREFIX}$stream" | awk 'p {if ($0 != "0") bad=1; p=0} $0 == "pending" {p=1} END {exit bad}' || return 1
  done
}
if ! wait_for 60 "no container or volume left and every group's pending count at 0" settled; then
  docker -H "$engine" ps -a >&2
  docker -H "$engine" volume ls -q | xargs -r docker -H "$engine" volume inspect --format '{{.Name}} created {{.CreatedAt}} labels {{.Labels}}' >&2
  for stream in pending running finished; do echo "groups of $stream:" >&2; rcli XINFO GROUPS "${QUEUE_PREFIX}$stream" | paste -sd' ' >&2; done
  exit 1
fi

failed=0
finished=$(rcli --raw XRANGE "${QUEUE_PREFIX}finished" - + | grep '^{' | jq -r '.job_id' | sort | uniq -c)
for id in "${!expected[@]}"; do
  seen=$(verdicts | awk -v id="$id" '$1 == id')
  entries=$(awk -v id="$id" '$2 == id {print $1}' <<<"$finished")
  if [ "$(wc -l <<<"$seen")" != 1 ] || [ "$seen" != "$id graded ${expected[$id]}" ] || [ "$entries" != 1 ]; then
    echo "chaos: job $id: expected one verdict 'graded ${expected[$id]}' and one finished entry, got [$seen] and ${entries:-0} entries" >&2
    wrong+=("$id")
    failed=1
  fi
done
dead=$(rcli XLEN "${QUEUE_PREFIX}dead")
[ "$dead" = 0 ] || { echo "chaos: $dead dead entries" >&2; rcli --raw XRANGE "${QUEUE_PREFIX}dead" - + >&2; failed=1; }
reruns=$(grep -c 'put back into pending' "$work/completer.log" || true)
# Each grader the engine stopped without live-restore napped 15 s: it was killed, and its job must have run again.
[ "$reruns" -ge "$engine_stopped_under" ] || { echo "chaos: $reruns reruns, but the engine stopped $engine_stopped_under running graders" >&2; failed=1; }
[ $failed = 0 ] || exit 1
say "ok: $jobs_total jobs, one right verdict each, $reruns reruns after infrastructure faults, no container or volume left, every group's pending count 0"
