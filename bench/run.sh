#!/usr/bin/env bash
# Side-by-side benchmarks against reference programs built from source in this run.
#   bench/run.sh                 all comparisons, full sizes
#   bench/run.sh montecarlo      one comparison
#   bench/run.sh --quick         smaller sizes (a smoke run)
set -euo pipefail
cd "$(dirname "$0")/.."
exec dotnet run -c Release --project bench/HpcK8s.Benchmarks -- compare "$@"
