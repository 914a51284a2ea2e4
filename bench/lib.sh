# Shared by the benchmark scripts (sourced, not run).

# Serialises Maven with other builds on this machine (they share ~/.m2 and the target directories).
mvn() {
  if command -v flock >/dev/null; then
    flock /tmp/shipstream-mvn.lock ./mvnw -B ${BENCH_MVN_OPTS:-} "$@"
  else
    ./mvnw -B ${BENCH_MVN_OPTS:-} "$@"
  fi
}

# Builds streams and devstack with their tests in the reactor (no install: every module's classpath points at the
# others' target/classes, never at older copies in ~/.m2, where a stale schemas jar once failed a run with
# NoSuchMethodError) and writes the classpaths the streams benchmarks and start_broker read.
build_streams_bench() {
  mvn -q -pl streams,devstack -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile=target/bench.classpath
  cp devstack/target/bench.classpath devstack/target/devstack.classpath
}

# Packages devstack and the connectors in the reactor (not install): the reactor's own jars and
# connectors/target/plugin are what the connector benchmarks run.
build_connector_bench() {
  mvn -q package -DskipTests -Dplugin.path.it.skip=true -pl devstack,connectors -am
}

# The machine, for the first line of every result: CPUs and their model.
machine() {
  echo "$(nproc) CPU(s), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
}

# start_broker WORK KAFKA_PORT REGISTRY_PORT BASE
# Starts Kafka and the schema registry (bench/BenchBroker.java), or with BENCH_STACK=devstack the full devstack
# (whose own ingress and streams app then share the machine; their ports are BASE+3 and BASE+4), logs to
# WORK/devstack.log, waits until it is ready and sets devstack_pid. BenchBroker keeps the broker's produce requests
# and records appended so far in WORK/broker-counters (see broker_counters). BENCH_BROKER_JAVA_OPTS: extra JVM options
# of that process (e.g. -Xlog:gc,safepoint:file=/tmp/broker-gc.log:utctime, to see its pauses).
start_broker() {
  local work="$1" kafka_port="$2" registry_port="$3" base="$4"
  local classpath="devstack/target/classes:$(cat devstack/target/devstack.classpath)"
  local logging="-Dlog4j2.configurationFile=devstack/target/classes/log4j2-devstack.xml"
  if [ "${BENCH_STACK:-broker}" = "devstack" ]; then
    echo "bench: starting the full devstack (Kafka, registry, its own ingress and streams app) on $kafka_port / $registry_port" >&2
    # shellcheck disable=SC2086
    java -Xmx1g ${BENCH_BROKER_JAVA_OPTS:-} "$logging" -cp "$classpath" dev.shipstream.devstack.DevStackMain \
      --fresh --data-dir "$work/data" --kafka-port "$kafka_port" --registry-port "$registry_port" \
      --ingress-port "$((base + 3))" --streams-port "$((base + 4))" \
      >"$work/devstack.log" 2>&1 &
  else
    echo "bench: starting Kafka and the schema registry (bench/BenchBroker.java) on $kafka_port / $registry_port" >&2
    # shellcheck disable=SC2086
    java -Xmx1g ${BENCH_BROKER_JAVA_OPTS:-} "$logging" -cp "$classpath" bench/BenchBroker.java "$work/data" \
      "$kafka_port" "$registry_port" "$work/broker-counters" \
      >"$work/devstack.log" 2>&1 &
  fi
  devstack_pid=$!
  # BENCH_BROKER_WAIT: seconds to wait for the broker (default 120; more on a machine busy with builds).
  for _ in $(seq 1 "${BENCH_BROKER_WAIT:-120}"); do
    grep -qE "(devstack|bench broker) is ready" "$work/devstack.log" 2>/dev/null && return 0
    kill -0 "$devstack_pid" 2>/dev/null || { cat "$work/devstack.log" >&2; exit 1; }
    sleep 1
  done
  echo "bench: the broker did not become ready" >&2
  exit 1
}

# broker_counters WORK: "<produce requests> <records>" the broker has handled since it started, as BenchBroker last
# wrote them (every 100 ms); nothing when there is no such file (BENCH_STACK=devstack).
broker_counters() {
  [ -f "$1/broker-counters" ] || return 0
  awk '{ v[$1] = $2 } END { print v["produce_requests"], v["records"] }' "$1/broker-counters"
}
