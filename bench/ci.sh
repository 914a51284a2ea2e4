#!/usr/bin/env bash
# Benchmark of the CI sink in the whole product (not a test): webhook accepted -> GitHub repository_dispatch. Runs
# bench/ConnectorLatency.java, which starts the devstack in its own process (Kafka, registry, the real ingress and
# streams app, Kafka Connect loading connectors/target/plugin), a GitHub stub on 127.0.0.1 answering
# POST /repos/your-org/your-app/dispatches with 204, and the use-case-1 example connector
# (connectors/examples/1-github-submit-for-review.json), then POSTs signed App Store Connect build-upload COMPLETE
# webhooks at a fixed rate and prints p50/p90/p99/max of the time from the ingress's 200 to the stub's receipt of the
# dispatch carrying that event id (HdrHistogram). The CI sink sends at most one request per second to a repository
# (rate.limit.interval.ms), so the default rate stays below it. Enrichment is off; everything listens on 127.0.0.1.
#
# Knobs (environment):
#   BENCH_RATE         webhooks per second, may be fractional (default 0.5)
#   BENCH_COUNT        measured webhooks (default 100), after BENCH_WARMUP_COUNT (default 10)
#   BENCH_SKIP_BUILD   true to use the classes already built (default false)
#   BENCH_KEEP         true to keep the work directory (the devstack's log) for a look afterwards
#   BENCH_JAVA_OPTS    extra JVM options of the benchmark process
#   BENCH_MVN_OPTS     extra Maven options (e.g. -o); Maven runs under flock /tmp/shipstream-mvn.lock when flock exists
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

rate="${BENCH_RATE:-0.5}"
count="${BENCH_COUNT:-100}"
warmup="${BENCH_WARMUP_COUNT:-10}"

work="$(mktemp -d -t shipstream-bench-ci-XXXXXX)"
# shellcheck source=bench/lib.sh
source bench/lib.sh
cleanup() {
  [ "${BENCH_KEEP:-false}" = "true" ] && echo "bench: kept $work" >&2 || rm -rf "$work"
}
trap cleanup EXIT

if [ "${BENCH_SKIP_BUILD:-false}" != "true" ]; then
  build_connector_bench
fi

echo "bench: machine: $(machine), load average before the run $(cut -d' ' -f1-3 /proc/loadavg)"
SHIPSTREAM_GITHUB_TOKEN=ghp_benchToken java -Xmx1g ${BENCH_JAVA_OPTS:-} \
  -Dlog4j2.configurationFile=devstack/target/classes/log4j2-devstack.xml \
  -cp "devstack/target/classes:$(cat devstack/target/devstack.classpath)" \
  bench/ConnectorLatency.java github connectors/target/plugin connectors/examples "$work" \
  "$rate" "$count" "$warmup" 1 > "$work/bench.log" 2>&1 \
  || { tail -50 "$work/bench.log" >&2; exit 1; }
grep -E '^(stack ready|result|latency|throughput)' "$work/bench.log"
echo "bench: load average after the run $(cut -d' ' -f1-3 /proc/loadavg)"
