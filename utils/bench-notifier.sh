#!/usr/bin/env bash
# Notifier benchmark (issue #7): one notifier process, a private redis-server, a Kestrel receiver on 127.0.0.1.
# Prints throughput on a 10,000-entry backlog, entry→receipt latency at a steady rate, and the notifier's RSS.
# Usage: utils/bench-notifier.sh [backlog=10000] [steady-rate-per-second=1000]   |   utils/bench-notifier.sh parts
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
command -v redis-server >/dev/null || { echo "bench-notifier: redis-server is missing: run utils/setup.sh as root" >&2; exit 1; }
dotnet build benchmarks -c Release -v q -nologo
exec dotnet benchmarks/bin/Release/net10.0/Correctomatic.Benchmarks.dll notifier "$@"
