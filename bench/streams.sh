#!/usr/bin/env bash
# Benchmark of the streams app (not a test): starts a local broker and registry (bench/BenchBroker.java), then runs
# dev.shipstream.streams.bench.StreamsBenchmark (streams test sources) against them, with topics and an application
# id of its own. Prints throughput of normalise + dedup + the enrichment stage under exactly-once, and end-to-end
# latency p50/p99 at a steady rate, from the raw record's send time to the event seen by a read_committed consumer.
#
# Knobs (environment):
#   BENCH_RECORDS        records for the throughput run (default 300000), after a warm-up run of 100000 records
#                        (JIT; -Dbench.streams.warmUpRecords=N in BENCH_JAVA_OPTS changes it, 0 skips it)
#   BENCH_RATE           events/s for the latency run (default 1000); BENCH_DURATION its seconds (default 30)
#   BENCH_COMMIT_MS      commit.interval.ms of the app (default 200, the app's default); BENCH_THREADS stream threads (default 1, the app's default; 2 measured slower on 2 shared cores)
#   BENCH_SKIP_BUILD     true to use the classes already built (default false)
#   BENCH_PORT_BASE      ports: base+1 Kafka, base+2 registry, base+3/base+4 the devstack's own ingress and
#                        streams app with BENCH_STACK=devstack (default 18180)
#   BENCH_STACK          broker (default): only Kafka + registry; devstack: the full devstack (its idle ingress and
#                        streams app share the machine)
#   BENCH_JAVA_OPTS      extra JVM options of the benchmark process (e.g. -XX:StartFlightRecording=...); with
#                        -Dbench.streams.overrides=key=value,... it also passes Kafka Streams properties to the app
#                        (e.g. main.consumer.max.poll.records=2000)
#   BENCH_ENRICHMENT     off (default): enrichment not configured; cached: configured against a local fake of the App Store
#                        Connect API, so that after one lookup per version every event is enriched from the cache
#   BENCH_MVN_OPTS       extra Maven options (e.g. -o); Maven runs under flock /tmp/shipstream-mvn.lock when flock exists
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

records="${BENCH_RECORDS:-300000}"
rate="${BENCH_RATE:-1000}"
duration="${BENCH_DURATION:-30}"
commit_ms="${BENCH_COMMIT_MS:-200}"
threads="${BENCH_THREADS:-1}"
base="${BENCH_PORT_BASE:-18180}"
kafka_port="$((base + 1))"
registry_port="$((base + 2))"

work="$(mktemp -d -t shipstream-bench-streams-XXXXXX)"
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
cp streams/target/bench.classpath "$work/streams.classpath"

start_broker "$work" "$kafka_port" "$registry_port" "$base"

echo "bench: machine: $(machine), load average $(cut -d' ' -f1-3 /proc/loadavg)"
java -Xmx1g ${BENCH_JAVA_OPTS:-} -Dbench.streams.enrichment="${BENCH_ENRICHMENT:-off}" -Dlog4j2.configurationFile=streams/target/classes/shipstream-streams-log4j2.xml \
  -cp "streams/target/test-classes:streams/target/classes:$(cat "$work/streams.classpath")" \
  dev.shipstream.streams.bench.StreamsBenchmark "127.0.0.1:$kafka_port" "http://127.0.0.1:$registry_port" \
  "$records" "$rate" "$duration" "$commit_ms" "$threads" > "$work/bench.log" 2>&1 \
  || { tail -50 "$work/bench.log" >&2; exit 1; }
grep -E '^(machine|enrichment|progress|warm-up|throughput|latency)' "$work/bench.log"
