#!/usr/bin/env bash
# Issue #4 benchmark: a trivial container's lifecycle through our Docker client versus curl over the same socket,
# at concurrency 1 and 4; prints lifecycles/s and the ratio. Extra arguments: --count N --rounds R --host unix:///path
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
exec dotnet run --project benchmarks -c Release -- docker "$@"
