#!/usr/bin/env bash
# Issues #4, #12 benchmark: a trivial container's lifecycle through our adapter (Docker.DotNet) versus curl over the same socket,
# at concurrency 1 and 4; prints lifecycles/s, the ratios and "ratio N.NN" overall (target >= 0.95). Extra arguments: --count N --rounds R --host unix:///path
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
exec dotnet run --project benchmarks -c Release -- docker "$@"
