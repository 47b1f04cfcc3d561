#!/usr/bin/env bash
# Idempotent prerequisites for a fresh Debian 12 machine, run as root (issue #2):
# packages, a Docker engine at DOCKER_HOST, a Redis at REDIS_URL, and the local images the tests and the demo use.
# Prints what it did; a second run does nothing and says so.
set -euo pipefail
cd "$(dirname "$0")/.."

did=()
log() { printf 'setup: %s\n' "$*"; }

# Not root: through sudo where it exists (Debian's root has none, and needs none).
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null 2>&1 && exec sudo --preserve-env=DOCKER_HOST,REDIS_URL "$0" "$@"
  log "must run as root (it installs packages and starts dockerd), and there is no sudo here: run it as root"; exit 1
fi

# --- packages -------------------------------------------------------------------------------------------------
need=()
command -v dockerd >/dev/null 2>&1 || need+=(docker.io)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
command -v redis-cli >/dev/null 2>&1 || need+=(redis-tools)
command -v redis-benchmark >/dev/null 2>&1 || need+=(redis-tools)
[ -x /bin/busybox ] && /bin/busybox --list 2>/dev/null | grep -qx wget && file -L /bin/busybox 2>/dev/null | grep -q static || need+=(busybox-static)
command -v debootstrap >/dev/null 2>&1 || need+=(debootstrap)
command -v docker-compose >/dev/null 2>&1 || need+=(docker-compose)
command -v curl >/dev/null 2>&1 || need+=(curl)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
command -v file >/dev/null 2>&1 || need+=(file)
command -v jq >/dev/null 2>&1 || need+=(jq)
# The confinement helper (images/confine/) is built static from source with the images: gcc and glibc's static libc.
command -v gcc >/dev/null 2>&1 || need+=(gcc)
[ -f /usr/lib/x86_64-linux-gnu/libc.a ] || [ -f "/usr/lib/$(uname -m)-linux-gnu/libc.a" ] || need+=(libc6-dev)
# gVisor (issue #14, CONTAINER_RUNTIME=runsc): Debian 12 ships it as runsc.
[ -x /usr/bin/runsc ] || need+=(runsc)
# Debian's Chromium, driven headless by the dashboard's Playwright tests (issue #17; `playwright install` cannot download here).
command -v chromium >/dev/null 2>&1 || need+=(chromium)
# A pseudo-terminal for the tests that read `correctomatic top`'s screen (issue #16).
command -v tmux >/dev/null 2>&1 || need+=(tmux)
if [ ${#need[@]} -gt 0 ]; then
  mapfile -t need < <(printf '%s\n' "${need[@]}" | sort -u)
  log "installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq "${need[@]}" >/dev/null
  did+=("installed ${need[*]}")
fi

# --- Docker engine --------------------------------------------------------------------------------------------
DOCKER_HOST=${DOCKER_HOST:-unix:///var/run/docker.sock}
docker_ping() {
  case "$DOCKER_HOST" in
    unix://*) curl -fsS --max-time 3 --unix-socket "${DOCKER_HOST#unix://}" http://localhost/_ping >/dev/null 2>&1 ;;
    *) docker -H "$DOCKER_HOST" version >/dev/null 2>&1 ;;
  esac
}
if ! docker_ping; then
  case "$DOCKER_HOST" in
    unix:///var/run/docker.sock)
      log "starting dockerd (log: /var/log/correctomatic-dockerd.log)"
      setsid nohup dockerd >/var/log/correctomatic-dockerd.log 2>&1 < /dev/null &
      for _ in $(seq 1 60); do docker_ping && break; sleep 0.5; done
      docker_ping || { log "dockerd did not answer /_ping in 30 s; see /var/log/correctomatic-dockerd.log"; tail -20 /var/log/correctomatic-dockerd.log; exit 1; }
      did+=("started dockerd")
      ;;
    *) log "nothing answers at DOCKER_HOST=$DOCKER_HOST and it is not the local default; start that engine yourself"; exit 1 ;;
  esac
fi

# --- dockerd: gVisor runtime and live-restore -----------------------------------------------------------------
# Both merged into any daemon.json keys already there, with jq. runsc (issue #14): --network=none, as without it a
# network-none container fails ("cannot run with network enabled in root network namespace"). live-restore (issue #15):
# an engine restart (upgrade, crash) leaves the graders running; the completer picks them up again (events resume from
# the last one seen, then inspect and logs). Both are among the options dockerd reloads on SIGHUP
# (https://docs.docker.com/engine/daemon/live-restore/: "reload the Docker daemon" instead of restarting it), so no
# container is restarted and the engine never goes down here; the signal is sent only when the running engine lacks one.
DAEMON_JSON=${DOCKER_DAEMON_JSON:-/etc/docker/daemon.json}
if [ "$DOCKER_HOST" = unix:///var/run/docker.sock ]; then
  current=$( [ -s "$DAEMON_JSON" ] && cat "$DAEMON_JSON" || echo '{}')
  filter='."live-restore" = true'
  [ -x /usr/bin/runsc ] && filter="$filter"' | .runtimes.runsc = {"path":"/usr/bin/runsc","runtimeArgs":["--network=none"]}'
  wanted=$(jq -S "$filter" <<<"$current")
  if [ "$(jq -S . <<<"$current")" != "$wanted" ]; then
    mkdir -p "$(dirname "$DAEMON_JSON")"
    printf '%s\n' "$wanted" > "$DAEMON_JSON.partial" && mv "$DAEMON_JSON.partial" "$DAEMON_JSON"
    did+=("set live-restore (and runsc, when installed) in $DAEMON_JSON")
  fi
  engine_has_config() {
    [ "$(docker -H "$DOCKER_HOST" info --format '{{.LiveRestoreEnabled}}' 2>/dev/null)" = true ] || return 1
    [ ! -x /usr/bin/runsc ] || docker -H "$DOCKER_HOST" info --format '{{json .Runtimes}}' 2>/dev/null | grep -q '"runsc"'
  }
  if ! engine_has_config; then
    pid=$(pgrep -xo dockerd || true)
    if [ -n "$pid" ]; then
      kill -HUP "$pid"
      for _ in $(seq 1 20); do engine_has_config && break; sleep 0.25; done
      engine_has_config || { log "dockerd did not take live-restore/runsc from $DAEMON_JSON on SIGHUP; see its log"; exit 1; }
      did+=("dockerd reloaded its configuration (live-restore, runtimes)")
    fi
  fi
fi

# --- Redis ----------------------------------------------------------------------------------------------------
# The services' REDIS_URL; tests start private instances of their own and do not need this one.
REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379}
if ! redis-cli -u "$REDIS_URL" ping >/dev/null 2>&1; then
  case "$REDIS_URL" in
    redis://127.0.0.1:6379|redis://localhost:6379|redis://127.0.0.1:6379/*|redis://localhost:6379/*)
      # AOF with fsync every second (README "Deployment: what a restart can lose"): a crash of Redis or of the machine
      # loses at most the last second of queue operations; no RDB snapshots on top (the AOF is the one durable copy).
      REDIS_DIR=${CORRECTOMATIC_REDIS_DIR:-/var/lib/correctomatic-redis}
      mkdir -p "$REDIS_DIR" && chmod 700 "$REDIS_DIR"
      log "starting redis-server on 127.0.0.1:6379 with AOF (appendfsync everysec) in $REDIS_DIR (log: /var/log/correctomatic-redis.log)"
      redis-server --bind 127.0.0.1 --port 6379 --daemonize yes --dir "$REDIS_DIR" --save '' \
        --appendonly yes --appendfsync everysec --appenddirname appendonlydir \
        --logfile /var/log/correctomatic-redis.log >/dev/null
      for _ in $(seq 1 40); do redis-cli -u "$REDIS_URL" ping >/dev/null 2>&1 && break; sleep 0.25; done
      did+=("started redis-server")
      ;;
    *) log "nothing answers at REDIS_URL and it is not the local default; start that Redis yourself" ;;
  esac
fi

# --- images ---------------------------------------------------------------------------------------------------
if built=$(utils/build-images.sh) ; then
  [ -n "$built" ] && did+=("$built")
else
  log "building images failed"; exit 1
fi

# --- the CLI on PATH (issue #16) -------------------------------------------------------------------------------
# A wrapper rather than a dotnet tool: it runs this checkout's Release build, so `correctomatic` is always the code the
# services run, with nothing to re-pack or re-install after a change (a global tool would also need ~/.dotnet/tools on PATH).
wrapper=/usr/local/bin/correctomatic
repo=$(pwd)
wanted=$(cat <<WRAPPER
#!/bin/sh
# Installed by $repo/utils/setup.sh: the correctomatic operator CLI of that checkout (README, "The correctomatic CLI").
dll="$repo/utils/Correctomatic.Cli/bin/Release/net10.0/correctomatic.dll"
[ -f "\$dll" ] || { echo "correctomatic: \$dll is not built; run: dotnet build $repo/Correctomatic.sln -c Release" >&2; exit 2; }
exec dotnet "\$dll" "\$@"
WRAPPER
)
if [ "$(cat "$wrapper" 2>/dev/null)" != "$wanted" ]; then
  printf '%s\n' "$wanted" > "$wrapper.tmp" && chmod 755 "$wrapper.tmp" && mv "$wrapper.tmp" "$wrapper"
  did+=("installed $wrapper")
fi

if [ ${#did[@]} -eq 0 ]; then
  log "nothing to do: packages present, dockerd and redis answering, images up to date, correctomatic on PATH"
else
  for d in "${did[@]}"; do log "$d"; done
fi
