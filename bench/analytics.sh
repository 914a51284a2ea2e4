#!/usr/bin/env bash
# Benchmark of the analytics (not a test): starts a local broker and registry (bench/BenchBroker.java), then runs
# dev.shipstream.streams.bench.AnalyticsBenchmark (streams test sources) against them, with topics and application
# ids of its own. Prints the pipeline's throughput with analytics on (App Store versions going through a whole review,
# from the first event out to the last cycle in the aggregates), the state on disk per million cycles (extrapolated
# from the bounded run), and query latency p50/p99: one version held by the instance asked, one version forwarded to
# the other of two instances, and 10,000 cycles as CSV from one and from two instances.
#
# Knobs (environment):
#   BENCH_VERSIONS       App Store versions of the measured run, 4 events each (default 50000), after a warm-up run
#                        of 12500 (-Dbench.analytics.warmUpVersions=N in BENCH_JAVA_OPTS changes it, 0 skips it)
#   BENCH_QUERIES        one-version queries per measurement (default 2000); BENCH_CSV_QUERIES CSV queries (default 30)
#   BENCH_COMMIT_MS      commit.interval.ms of the app (default 200, the app's default)
#   BENCH_SKIP_BUILD     true to use the classes and classpaths already built (default false)
#   BENCH_PORT_BASE      ports: base+1 Kafka, base+2 registry (default 18280)
#   BENCH_JAVA_OPTS      extra JVM options of the benchmark process (e.g. -XX:StartFlightRecording=...); with
#                        -Dbench.streams.overrides=key=value,... it also passes Kafka Streams properties to the apps
#   BENCH_MVN_OPTS       extra Maven options (e.g. -o); Maven runs under flock /tmp/shipstream-mvn.lock when flock exists
#
# The build runs in the reactor (no install): every module's classpath points at the other modules' target/classes,
# never at older copies in ~/.m2.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

versions="${BENCH_VERSIONS:-50000}"
queries="${BENCH_QUERIES:-2000}"
csv_queries="${BENCH_CSV_QUERIES:-30}"
commit_ms="${BENCH_COMMIT_MS:-200}"
base="${BENCH_PORT_BASE:-18280}"
kafka_port="$((base + 1))"
registry_port="$((base + 2))"

work="$(mktemp -d -t shipstream-bench-analytics-XXXXXX)"
# shellcheck source=bench/lib.sh
source bench/lib.sh
devstack_pid=""
cleanup() {
  # Only the process this script started, by its id.
  [ -n "$devstack_pid" ] && kill "$devstack_pid" 2>/dev/null && wait "$devstack_pid" 2>/dev/null || true
  [ "${BENCH_KEEP:-false}" = "true" ] && echo "bench: kept $work" >&2 || rm -rf "$work"
}
trap cleanup EXIT

if [ "${BENCH_SKIP_BUILD:-false}" != "true" ]; then
  build_streams_bench
fi

start_broker "$work" "$kafka_port" "$registry_port" "$base"

echo "bench: machine: $(machine), load average $(cut -d' ' -f1-3 /proc/loadavg)"
java -Xmx2g ${BENCH_JAVA_OPTS:-} -Dlog4j2.configurationFile=streams/target/classes/shipstream-streams-log4j2.xml \
  -cp "streams/target/test-classes:streams/target/classes:$(cat streams/target/bench.classpath)" \
  dev.shipstream.streams.bench.AnalyticsBenchmark "127.0.0.1:$kafka_port" "http://127.0.0.1:$registry_port" \
  "$versions" "$queries" "$csv_queries" "$commit_ms" > "$work/bench.log" 2>&1 \
  || { tail -50 "$work/bench.log" >&2; exit 1; }
echo "bench: load average at the end $(cut -d' ' -f1-3 /proc/loadavg)"
grep -E '^(machine|warm-up|throughput|state|query|two instances)' "$work/bench.log"
