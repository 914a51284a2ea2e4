#!/usr/bin/env bash
# Measures how long `./shipstream dev` takes from launch to its "ready" banner, with a warm build (nothing to
# compile): first on an empty data directory, then restarting on the same one. Prints one line per run.
# Usage: bench/devstack-start.sh [runs]   (uses ports 19092/18081 so a running devstack is not disturbed)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
runs="${1:-3}"
data="$(mktemp -d)"
pid=""
# Only the devstack this script started, by its id.
trap '[ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null; rm -rf "$data"' EXIT

# The build shares ~/.m2 and target/ with other builds on the machine: take the Maven lock when flock exists.
if command -v flock >/dev/null; then
  flock /tmp/shipstream-mvn.lock ./shipstream build >/dev/null
else
  ./shipstream build >/dev/null
fi

measure() { # label, extra args
  local label="$1"; shift
  local out; out="$(mktemp)"
  local start; start=$(date +%s%N)
  SHIPSTREAM_SKIP_BUILD=1 ./shipstream dev --data-dir "$data" --kafka-port 19092 --registry-port 18081 "$@" >"$out" 2>/dev/null &
  pid=$!
  for _ in $(seq 1 1200); do
    grep -q '^Ready' "$out" && break
    kill -0 "$pid" 2>/dev/null || { echo "devstack exited early"; cat "$out"; exit 1; }
    sleep 0.1
  done
  local end; end=$(date +%s%N)
  grep -q '^Ready' "$out" || { echo "devstack not ready within 120 s"; exit 1; }
  printf '%-28s %6.1f s to ready   (%s)\n' "$label" "$(echo "($end - $start) / 1000000000" | bc -l)" "$(grep '^Ready' "$out")"
  kill -TERM "$pid"; wait "$pid" || true
  pid=""
  rm -f "$out"
}

for i in $(seq 1 "$runs"); do
  measure "fresh data directory #$i" --fresh
  measure "restart on same data #$i"
done
