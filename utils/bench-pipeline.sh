#!/usr/bin/env bash
# Issue #12's regression check (also used by issues #14 and #15): N grading jobs through the Starter, Completer and
# Notifier run as separate processes, against the same job straight through the Engine API at the same concurrency
# ("bare": tmpfs /tmp, file written by the container's own command; "archive": today's anonymous /tmp volume and
# archive put), in one run, rounds interleaved. Prints throughput and the ratios pipeline/bare, pipeline/archive,
# archive/bare (as "ratio N.NN"), the idle one-job latency of each, each service's RSS idle and at peak, and a summary.
# It starts its own redis-server (unix socket in a temp dir; never the shared one) and removes everything it started,
# on Ctrl-C or failure too. Default run: about 2 minutes on 2 cores.
# Usage: utils/bench-pipeline.sh [--jobs N=100] [--warmup W=200] [--concurrency C=4] [--rounds R=2] [--runtime runc|runsc]
#          [--redis-fsync always|everysec] [--idle-samples K=5] [--service-env NAME=VALUE]... [--image NAME] [--sandboxed]
#   --warmup: pipeline jobs run first and not measured (printed as the cold figures): the services' JIT settles over
#     about the first 200 jobs, and a long-running service spends its life after that.
#   --sandboxed: a fourth side, the Starter's own container (its default sandbox, the file on stdin) driven directly;
#     prints sandboxed / bare and pipeline / sandboxed, to tell the sandbox's cost from the services'.
#   --service-env: extra environment for the three services only, e.g. --service-env DOTNET_GCConserveMemory=5
#   --image: the grader (default correctomatic/grader-shell:latest; it must grade `echo hello` with EXPECTED=hello and
#     have no ENTRYPOINT). The run pins it under a tag of its own, so that a rebuild of the tag by other work on the
#     same engine cannot change the image halfway; the summary names the image's id and build-hash.
#   DOCKER_HOST: the engine (default unix:///var/run/docker.sock).
#   BENCH_PIPELINE_SERVICES: a directory with one `dotnet publish` per service (DIR/Starter/Correctomatic.Starter.dll,
#     ...), to measure a publish option (ReadyToRun, trimming) instead of the build output.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
for tool in redis-server redis-cli docker; do
  command -v "$tool" >/dev/null || { echo "bench-pipeline: $tool is missing: run utils/setup.sh as root" >&2; exit 1; }
done

# Everything of this run lives in one temp dir (TMPDIR for the driver: its redis dir, keys and service logs) and is
# named by one run id (queue prefix benchpipe-<id>:, container label correctomatic.bench.run=<id>), so that the trap
# below can remove exactly what this run started, even if the driver itself was killed.
work=$(mktemp -d /tmp/ct-bench-pipeline.XXXXXX)
run_id=$(head -c 5 /dev/urandom | od -An -tx1 | tr -d ' \n')
export TMPDIR="$work" BENCH_PIPELINE_PIDS_FILE="$work/pids"
driver= pinned=
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if [ -n "$driver" ] && kill -0 "$driver" 2>/dev/null; then
    kill -TERM "$driver" 2>/dev/null || true
    wait "$driver" 2>/dev/null || true
  fi
  # Only what this run started: the pids the driver noted, the containers with this run's label or queue prefix.
  if [ -f "$work/pids" ]; then
    while read -r pid; do kill -KILL "$pid" 2>/dev/null || true; done <"$work/pids"
  fi
  for filter in "label=correctomatic.bench.run=$run_id" "label=correctomatic.managed=benchpipe-$run_id:"; do
    docker ps -aq --filter "$filter" | xargs -r docker rm -f -v >/dev/null 2>&1 || true
  done
  # Only our tag goes: the image stays as long as another tag (or a container) still uses it.
  [ -z "$pinned" ] || docker rmi "$pinned" >/dev/null 2>&1 || true
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

image=correctomatic/grader-shell:latest
args=()
while [ $# -gt 0 ]; do
  if [ "$1" = --image ] && [ $# -ge 2 ]; then image=$2; shift 2; else args+=("$1"); shift; fi
done
image_id=$(docker image inspect -f '{{.Id}}' "$image" 2>/dev/null) || { echo "bench-pipeline: image $image is missing: run utils/build-images.sh" >&2; exit 1; }
[ "$(docker image inspect -f '{{json .Config.Entrypoint}}' "$image_id")" = null ] \
  || { echo "bench-pipeline: $image has an ENTRYPOINT; the bare baseline can only override a CMD" >&2; exit 1; }
image_cmd=$(docker image inspect -f '{{json .Config.Cmd}}' "$image_id")
pinned="${image%:*}:benchpipe-$run_id"
docker tag "$image_id" "$pinned"

dotnet build benchmarks -c Release -v q -nologo >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
dotnet benchmarks/bin/Release/net10.0/Correctomatic.Benchmarks.dll pipeline --run-id "$run_id" --image "$pinned" --image-cmd "$image_cmd" "${args[@]}" &
driver=$!
wait "$driver"
