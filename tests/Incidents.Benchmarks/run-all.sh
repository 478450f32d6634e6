#!/usr/bin/env bash
# Runs every benchmark one after the other; each driver rewrites its own section of docs/benchmarks.md.
# Needs PostgreSQL server binaries (apt-get install -y postgresql) and wrk (apt-get install -y wrk).
set -euo pipefail
cd "$(dirname "$0")/../.."
dotnet build -c Release Incidents.sln
dotnet build -c Release tests/Incidents.Benchmarks.Floor
bench() { dotnet run -c Release --no-build --project tests/Incidents.Benchmarks -- "$@"; }
status=0
bench export || status=1
bench ingest || status=1
bench lifecycle || status=1
bench footprint || status=1
dotnet run -c Release --project tests/Incidents.Benchmarks.Micro -- --filter '*' --job short || status=1
exit "$status"
