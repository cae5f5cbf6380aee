#!/usr/bin/env bash
# Runs every test of the solution and ends with one summary line: "tests: N passed, N failed, N skipped".
# Needs the .NET SDK 10, gcc, bc and libgmp10 (a fresh Debian machine has them; .ci/run installs any missing).
set -uo pipefail
cd "$(dirname "$0")"
results="$(mktemp -d)"
trap 'rm -rf "$results"' EXIT

dotnet build HpcK8s.sln -c Release -nologo -clp:ErrorsOnly || { echo "tests: 0 passed, 1 failed (build failed)"; exit 1; }

# The interop sidecar's Node packages, installed once before the test assemblies start in parallel (the fixture
# installs them too, under a lock, when the tests run on their own). Without node/npm those tests skip.
if command -v npm >/dev/null && { [ ! -e tests/interop-sidecar/node_modules/.package-lock.json ] || [ tests/interop-sidecar/package-lock.json -nt tests/interop-sidecar/node_modules/.package-lock.json ]; }; then
  (cd tests/interop-sidecar && npm ci --no-audit --no-fund --loglevel=error) || { echo "tests: 0 passed, 1 failed (npm ci in tests/interop-sidecar failed)"; exit 1; }
fi
dotnet test HpcK8s.sln -c Release --no-build -nologo --logger "trx" --results-directory "$results" "$@"
status=$?

passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  t=$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$counters"); e=$(sed -n 's/.* executed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + ${t:-0} - ${e:-0}))
done
if [ "$passed" -eq 0 ] && [ "$status" -eq 0 ]; then
  echo "no test ran"; status=1
fi
echo "tests: $passed passed, $failed failed, $skipped skipped"
exit $status
