#!/usr/bin/env bash
# Issue #12 benchmark: the stage operations through the adapter (StackExchange.Redis) — XADD, read + hand-off script,
# XACK — against redis-benchmark, same private redis-server, same run, same connections and pipeline depth; and the
# idle one-entry latency of a blocked read. Prints ops/s, the ratio (target >= 0.5) and bytes allocated per operation.
# Figures, not a pass/fail test.
# Usage: utils/bench-redis.sh [--connections 4] [--pipeline 16] [--requests 40000]
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
for tool in redis-server redis-benchmark dotnet; do
  command -v "$tool" >/dev/null || { echo "bench-redis: $tool is not installed (run utils/setup.sh)" >&2; exit 1; }
done

dir=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --dir "$dir" --daemonize no --loglevel warning \
  >"$dir/redis.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 50); do redis-cli -p "$port" PING >/dev/null 2>&1 && break; sleep 0.1; done

dotnet build benchmarks/Correctomatic.Benchmarks.csproj -c Release -v q -nologo >/dev/null
echo "redis-server $(redis-server --version | grep -o 'v=[^ ]*') on 127.0.0.1:$port; $(nproc) CPU(s); load: $(cut -d' ' -f1-3 /proc/loadavg)"
dotnet benchmarks/bin/Release/net10.0/Correctomatic.Benchmarks.dll redis --url "redis://127.0.0.1:$port" "$@"
