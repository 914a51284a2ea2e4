#!/usr/bin/env bash
# Benchmark of the ingress (not a test): starts a local broker and registry (bench/BenchBroker.java), runs the ingress
# standalone against it, loads it with signed App Store Connect payloads using wrk (installed from Debian's package
# if missing), and prints requests/s, p50/p99/p99.9 latency and server CPU per request at 50 connections and at 1.
#
# Every 200 counted here was acknowledged by the broker with acks=all. Knobs (environment):
#   BENCH_DURATION     seconds per measured run (default 30); BENCH_WARMUP seconds of warm-up (default 10)
#   BENCH_LINGER_MS    producer linger.ms (default 0, the ingress's default; try 1)
#   BENCH_PRODUCER     more producer settings as JSON members, e.g. '"max.in.flight.requests.per.connection": "1"'
#   BENCH_ACCESS_LOG   true to keep the access log on (default false; it is written to the ingress log file)
#   BENCH_INSTANCES    event-loop verticles (default 1: the two cores are shared with the broker and wrk, and one
#                      event loop batches more records per wake-up; see docs/benchmarks.md)
#   BENCH_SKIP_BUILD   true to use the jars already built (default false)
#   BENCH_PORT_BASE    ports used: base (ingress), base+1 (Kafka), base+2 (registry), base+3/base+4 (the
#                      devstack's own ingress and streams app with BENCH_STACK=devstack); default 18080
#   BENCH_STACK        broker (default): only Kafka + registry; devstack: the full devstack, whose streams app then
#                      also consumes and re-publishes every benchmark record on the same two cores
#   BENCH_SERVER       ingress (default) or baseline: bench/baseline/MinimalReceiver.java, Vert.x + kafka-clients
#                      with the same durability settings and nothing else (BENCH_MAX_IN_FLIGHT, default 1)
#   BENCH_JAVA_OPTS    extra JVM options of the ingress (e.g. -XX:StartFlightRecording=... to profile it)
#   BENCH_MVN_OPTS     extra Maven options (e.g. -o); Maven runs under flock /tmp/shipstream-mvn.lock when flock exists
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

duration="${BENCH_DURATION:-30}"
warmup="${BENCH_WARMUP:-10}"
linger="${BENCH_LINGER_MS:-0}"
access_log="${BENCH_ACCESS_LOG:-false}"
instances="${BENCH_INSTANCES:-1}"
base="${BENCH_PORT_BASE:-18080}"
ingress_port="$base"
kafka_port="$((base + 1))"
registry_port="$((base + 2))"

work="$(mktemp -d -t shipstream-bench-XXXXXX)"
# shellcheck source=bench/lib.sh
source bench/lib.sh
devstack_pid=""
ingress_pid=""
cleanup() {
  # Only the processes this script started, by their ids.
  [ -n "$ingress_pid" ] && kill "$ingress_pid" 2>/dev/null && wait "$ingress_pid" 2>/dev/null || true
  [ -n "$devstack_pid" ] && kill "$devstack_pid" 2>/dev/null && wait "$devstack_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

if ! command -v wrk >/dev/null; then
  echo "bench: installing wrk from Debian's package" >&2
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq && $sudo_cmd apt-get install -y -qq wrk >/dev/null
fi

if [ "${BENCH_SKIP_BUILD:-false}" != "true" ]; then
  echo "bench: building (./shipstream build, ./mvnw install -DskipTests -pl ingress -am)" >&2
  ./shipstream build
  mvn -q install -DskipTests -pl ingress -am
fi
mvn -q dependency:build-classpath -pl ingress -Dmdep.outputFile="$work/ingress.classpath" >/dev/null

start_broker "$work" "$kafka_port" "$registry_port" "$base"

secret="$(head -c 24 /dev/urandom | base64 | tr -d '/+=')"
cat >"$work/ingress.json" <<JSON
{ "port": $ingress_port, "instances": $instances, "accessLog": $access_log,
  "kafka": { "bootstrapServers": "127.0.0.1:$kafka_port", "schemaRegistryUrl": "http://127.0.0.1:$registry_port",
             "producer": { "linger.ms": "$linger"${BENCH_PRODUCER:+, $BENCH_PRODUCER} } } }
JSON
if [ "${BENCH_SERVER:-ingress}" = "baseline" ]; then
  echo "bench: starting the baseline bench/baseline/MinimalReceiver.java on $ingress_port (instances=$instances, linger.ms=$linger)" >&2
  java -Xmx512m -XX:+UseParallelGC ${BENCH_JAVA_OPTS:-} -cp "$(cat "$work/ingress.classpath")" \
    bench/baseline/MinimalReceiver.java "$ingress_port" "127.0.0.1:$kafka_port" shipstream.webhooks.raw \
    "$instances" "$linger" "${BENCH_MAX_IN_FLIGHT:-1}" >"$work/ingress.log" 2>&1 &
else
  echo "bench: starting the ingress on $ingress_port (instances=$instances, linger.ms=$linger, accessLog=$access_log)" >&2
  SHIPSTREAM_ASC_SECRET="$secret" java -Xmx512m -XX:+UseParallelGC ${BENCH_JAVA_OPTS:-} \
    -cp "ingress/target/classes:$(cat "$work/ingress.classpath")" dev.shipstream.ingress.IngressMain "$work/ingress.json" \
    >"$work/ingress.log" 2>&1 &
fi
ingress_pid=$!
for _ in $(seq 1 60); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$ingress_port/health/ready" || true)" = "200" ] && break
  kill -0 "$ingress_pid" 2>/dev/null || { cat "$work/ingress.log" >&2; exit 1; }
  sleep 1
done

# Realistic App Store Connect payloads (the event shapes in docs/sources.md), each signed with the endpoint's secret.
python3 - "$secret" "$work/payloads.lua" <<'PY'
import hashlib, hmac, json, sys, uuid
secret, out = sys.argv[1].encode(), sys.argv[2]
states = ["WAITING_FOR_REVIEW", "IN_REVIEW", "PENDING_DEVELOPER_RELEASE", "READY_FOR_DISTRIBUTION", "REJECTED"]
entries = []
for i in range(64):
    version = str(uuid.UUID(int=i + 1))
    body = json.dumps({"data": {"type": "appStoreVersionAppVersionStateUpdated", "id": str(uuid.uuid4()),
        "version": 1, "attributes": {"newValue": states[i % 5], "oldValue": states[(i + 4) % 5],
        "timestamp": "2025-12-18T05:01:47.118Z"}, "relationships": {"instance": {
        "data": {"type": "appStoreVersions", "id": version},
        "links": {"self": "https://api.appstoreconnect.apple.com/v1/appStoreVersions/" + version}}}}}, indent=1)
    sig = "hmacsha256=" + hmac.new(secret, body.encode(), hashlib.sha256).hexdigest()
    entries.append("{ body = %s, signature = %s }" % (json.dumps(body), json.dumps(sig)))
open(out, "w").write("return {\n" + ",\n".join(entries) + "\n}\n")
PY

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
# Busy and total ticks of the whole machine (all CPUs), to show how much of it the runs used.
machine_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8, $2 + $3 + $4 + $5 + $6 + $7 + $8 }' /proc/stat; }

run() {
  local connections="$1" threads="$2" seconds="$3" label="$4"
  local before after broker_before broker_after requests machine_before machine_after
  before="$(cpu_ticks "$ingress_pid")"
  broker_before="$(cpu_ticks "$devstack_pid")"
  machine_before="$(machine_ticks)"
  BENCH_PAYLOADS="$work/payloads.lua" BENCH_PATH="/webhooks/app-store-connect/default" \
    wrk -t"$threads" -c"$connections" -d"${seconds}s" --latency -s bench/ingress/report.lua \
    "http://127.0.0.1:$ingress_port" >"$work/wrk.out"
  after="$(cpu_ticks "$ingress_pid")"
  broker_after="$(cpu_ticks "$devstack_pid")"
  machine_after="$(machine_ticks)"
  requests="$(awk '/^requests / { print $2 }' "$work/wrk.out")"
  if [ -n "$label" ]; then
    echo "== $label ($connections connection(s), ${seconds}s, linger.ms=$linger)"
    grep -E '^(requests|p50|p99|max|non_2xx|socket)' "$work/wrk.out"
    awk -v t="$((after - before))" -v b="$((broker_after - broker_before))" -v r="$requests" \
      -v hz="$(getconf CLK_TCK)" -v mb="$machine_before" -v ma="$machine_after" \
      'BEGIN { split(mb, x, " "); split(ma, y, " ");
               if (r > 0) { printf "server_cpu_us_per_request %.1f\n", t / hz * 1e6 / r;
                            printf "broker_cpu_us_per_request %.1f\n", b / hz * 1e6 / r }
               if (y[2] > x[2]) printf "machine_busy_percent %.0f\n", 100 * (y[1] - x[1]) / (y[2] - x[2]) }'
  fi
}

echo "bench: machine: $(nproc) CPU(s), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/ { print $2 }') GiB RAM, load average $(cut -d' ' -f1-3 /proc/loadavg)"
run 50 2 "$warmup" ""
run 50 2 "$duration" "50 connections"
run 1 1 "$duration" "1 connection"
