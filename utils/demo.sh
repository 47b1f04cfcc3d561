#!/usr/bin/env bash
# The README's first command: the whole pipeline locally on a sample grader, printing the callbacks it receives.
# Runs setup (packages, dockerd, redis, images), builds the solution, then utils/demo-run.sh, which starts the receiver and
# the three services, submits four jobs, prints each verified callback and stops everything it started.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
utils/setup.sh
echo "demo: building"
dotnet build Correctomatic.sln -c Release -v q -nologo >/dev/null
exec utils/demo-run.sh
