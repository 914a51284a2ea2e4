#!/usr/bin/env bash
# Benchmark of the Slack sink in the whole product (not a test): webhook accepted -> Slack called. Runs
# bench/ConnectorLatency.java, which starts the devstack in its own process (Kafka, registry, the real ingress and
# streams app, Kafka Connect loading connectors/target/plugin), a Slack stub on 127.0.0.1 and the use-case-4 example
# connector (connectors/examples/4-slack-build-failed-or-rejected.json, its rule split over BENCH_CHANNELS channels),
# then POSTs signed App Store Connect build-upload FAILED webhooks at a fixed rate and prints p50/p90/p99/max of the
# time from the ingress's 200 to the stub's receipt of the message naming that event (HdrHistogram), and the
# smallest gap between two messages to one channel (the connector allows one per second per channel).
# The streams app's enrichment is not configured (it would add a lookup per build upload, which is not the path
# measured here); everything listens on 127.0.0.1 only.
#
# Knobs (environment):
#   BENCH_RATE         webhooks per second (default 50)
#   BENCH_COUNT        measured webhooks (default 1500, 30 s at 50/s), after BENCH_WARMUP_COUNT (default 250)
#   BENCH_CHANNELS     Slack channels the events are spread over (default 60: 50/s at one per second per channel
#                      needs more than 50)
#   BENCH_RATE_LIMIT_MS  the connector's rate.limit.interval.ms (default: the example's, i.e. the sink's 1000);
#                      0 switches the per-channel limit off, to see what it costs
#   BENCH_SKIP_BUILD   true to use the classes already built (default false)
#   BENCH_KEEP         true to keep the work directory (the devstack's log) for a look afterwards
#   BENCH_JAVA_OPTS    extra JVM options of the benchmark process
#   BENCH_MVN_OPTS     extra Maven options (e.g. -o); Maven runs under flock /tmp/shipstream-mvn.lock when flock exists
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

rate="${BENCH_RATE:-50}"
count="${BENCH_COUNT:-1500}"
warmup="${BENCH_WARMUP_COUNT:-250}"
channels="${BENCH_CHANNELS:-60}"

work="$(mktemp -d -t shipstream-bench-slack-XXXXXX)"
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
SHIPSTREAM_SLACK_TOKEN=xoxb-bench-token java -Xmx1g ${BENCH_JAVA_OPTS:-} \
  -Dbench.rateLimitIntervalMs="${BENCH_RATE_LIMIT_MS:-}" \
  -Dlog4j2.configurationFile=devstack/target/classes/log4j2-devstack.xml \
  -cp "devstack/target/classes:$(cat devstack/target/devstack.classpath)" \
  bench/ConnectorLatency.java slack connectors/target/plugin connectors/examples "$work" \
  "$rate" "$count" "$warmup" "$channels" > "$work/bench.log" 2>&1 \
  || { tail -50 "$work/bench.log" >&2; exit 1; }
grep -E '^(stack ready|result|latency|throughput|channels)' "$work/bench.log"
echo "bench: load average after the run $(cut -d' ' -f1-3 /proc/loadavg)"
