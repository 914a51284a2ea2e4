#!/usr/bin/env bash
# Benchmark of the ingress (not a test): the ingress with the defaults a user gets against a minimal verified,
# durable receiver (bench/baseline/MinimalReceiver.java) at its best settings, side by side on one broker.
#
# Starts one local broker and registry (bench/BenchBroker.java), puts load on it for BENCH_BROKER_WARMUP seconds
# through the first server (not measured), then runs BENCH_ROUNDS rounds; each round starts every server of
# BENCH_SERVERS in turn (the order rotates from round to round, so that all see the same noise of a shared machine),
# warms it up at 50 connections, measures 50 connections, then 1 connection, and stops it. Load comes from wrk
# (installed from Debian's package if missing) posting 64 signed App Store Connect payloads (about 1 KB). Prints per
# round and server: requests/s, p50/p99/p99.9, server and broker CPU µs per request (user + system time from
# /proc/<pid>/stat over the run), the load average, the ingress's ratio to the best baseline of the round, and wrk's
# CPU per request with the server's in units of it (a yardstick when the machine's speed changes), how many records a
# produce request carried on average (the broker's own counts, so the same measure for every server); with
# BENCH_THREAD_CPU=true also the server's CPU, sleeps and preemptions by thread and the whole machine's busy, idle
# and steal time. Every 200 counted was acknowledged by the broker with acks=all before it was sent. Before its
# warm-up, each server's first two webhooks are timed one by one (curl): the first shows what the server left to do
# until a webhook came; a table of them ends the output.
#
# Servers (BENCH_SERVERS, space-separated; default "ingress baseline1-l0 baseline2-l0 baseline1-l0-f1
# baseline2-l0-f1": the receiver at each of its candidate best settings, the best of each round counting):
#   ingress      IngressMain with the shipped defaults: a config file with only the port and the Kafka addresses, so
#                instances = cores - 1 (at least 1), access log on (written to stdout, here a file), the shipped producer settings
#   baselineN    MinimalReceiver with N event loops: HMAC-SHA256 check, acks=all, idempotence, linger.ms=5, default
#                max.in.flight (5), answers after the acknowledgement; on the native transport (epoll), as the ingress
#   baselineN-lM the same with linger.ms=M (e.g. baseline2-l0)
#   baselineN-lM-fK  the same with K produce requests in flight (max.in.flight.requests.per.connection=K; default 5),
#                e.g. baseline1-l0-f1: the ingress's own default of one in flight, given to the receiver too (on the
#                2-core benchmark machine its best setting, see docs/benchmarks.md)
#   ingress-iN   the ingress with N event-loop instances (SHIPSTREAM_INGRESS_INSTANCES=N), e.g. ingress-i1
#   ingress-nolog  the ingress with the access log off (SHIPSTREAM_INGRESS_ACCESS_LOG=false)
#   ingress-fN   the ingress with N produce requests in flight (max.in.flight.requests.per.connection=N; default 1)
#   NAME-nio     the ingress or a baseline on Java NIO instead of the native transport (before the -g1 suffix), e.g.
#                ingress-nio, baseline1-l0-nio
#   ingress-ref  the ingress compiled elsewhere (classes directory in BENCH_REF_CLASSES, e.g. the previous commit's),
#                same configuration: to measure a change before/after in one run (ingress-ref-iN likewise)
#   ingress-at-TAG the ingress from the snapshot BENCH_SNAPSHOTS/TAG, a directory holding the classes directories of
#                `ingress` and `schemas` of some build (copies of their target/classes), same configuration: to compare
#                several changes in one run, e.g. BENCH_SERVERS="ingress-at-before ingress-at-change1 ingress"; the
#                suffixes -nolog, -iN, -fN, -nio and -g1 work here too (ingress-at-old-nolog: snapshot "old", no
#                access log)
#   NAME-g1      any server with the G1 collector instead of the shipped one (G1 is the JVM's own default on a
#                machine with 2 or more cores and 2 GB or more), e.g. ingress-g1, baseline1-l0-g1
# Every server runs with the JVM options of the ingress's command in docker-compose.yml (-Xmx512m and the parallel
# collector).
# Knobs (environment):
#   BENCH_ROUNDS       rounds (default 3)
#   BENCH_DURATION     seconds per measured run at 50 connections (default 20); BENCH_DURATION_1 at 1 (default 10)
#   BENCH_WARMUP       seconds of warm-up at 50 connections before each server's measurement (default 15)
#   BENCH_BROKER_WARMUP seconds of load on the fresh broker before the first round (default 30; 0 for none), through
#                      the first server of BENCH_SERVERS, which is then stopped: otherwise that server, the first
#                      measured, alone meets a broker whose JIT has not compiled the produce path yet
#   BENCH_INGRESS_JSON extra top-level members of the ingress's config file, to show what a setting changes (e.g.
#                      '"accessLog": false, "instances": 1'); unset for the headline (shipped defaults)
#   BENCH_PRODUCER     producer settings of the ingress as JSON members (e.g. '"linger.ms": "0"')
#   BENCH_BASELINE_PRODUCER  producer overrides of the baseline as key=value words (e.g. 'linger.ms=0')
#   BENCH_JAVA_OPTS    extra JVM options of the ingress (e.g. -XX:StartFlightRecording=... to profile it; {name}
#                      is replaced by the server's name, e.g. filename=/tmp/{name}.jfr);
#   BENCH_BASELINE_JAVA_OPTS likewise for the baselines ({name} too, e.g. @/tmp/jopts-{name} for an argument file
#                      per server); BENCH_BROKER_JAVA_OPTS for the broker's JVM (bench/lib.sh)
#   BENCH_SKIP_BUILD   true to use what is already built (default false)
#   BENCH_PORT_BASE    ports used: base (server), base+1 (Kafka), base+2 (registry); default 18080
#   BENCH_STACK        broker (default) or devstack (see bench/lib.sh)
#   BENCH_THREAD_CPU   true to print, per measured run, the server's CPU µs per request by thread (event loops,
#                      producer network thread, sender, JIT, GC, ...; the run time in /proc/<pid>/task/*/schedstat,
#                      or where the kernel keeps none the tick samples of /proc/<pid>/task/*/stat), how often per
#                      100 requests its busier threads slept and were preempted (/proc/<pid>/task/*/status: a
#                      thread that rarely sleeps but is often preempted is on the critical path), and the whole
#                      machine's per request (/proc/stat): busy (user, system, softirq; of it the server, the
#                      broker, wrk and the rest), idle and steal, to tell a CPU-bound run from one that waits
#   BENCH_SYSCALLS     true to print, per measured run, the server's system calls per request, in all and of the
#                      kinds that serve sockets, polling, timers and locks (perf stat on the kernel's tracepoints:
#                      needs perf and access to them, e.g. as root); a count the machine's speed does not move
#   BENCH_PROFILE      a directory: profiles each server's measured run at 50 connections with async-profiler (CPU
#                      samples, one per BENCH_PROFILE_INTERVAL of a thread's CPU time, default 1ms; with kernel
#                      frames where the kernel allows), loaded into the running server with jcmd just before the run
#                      and stopped just after it, so that neither start-up, warm-up nor the run at 1 connection is in
#                      it; writes round-R-NAME.collapsed (collapsed stacks, the thread's name first) and a line
#                      "round name requests interval" to requests.tsv there, for bench/profile-summary.py. The
#                      profiler comes from Maven Central (tools.profiler:async-profiler, linux-x64), through Maven
#   BENCH_BROKER_WAIT  seconds to wait for the broker to be ready (default 120)
#   BENCH_RESULTS      file to append the result rows to (tab-separated; default: a temporary file, printed)
#   BENCH_MVN_OPTS     extra Maven options (e.g. -o); Maven runs under flock /tmp/shipstream-mvn.lock when flock exists
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

rounds="${BENCH_ROUNDS:-3}"
duration="${BENCH_DURATION:-20}"
duration_1="${BENCH_DURATION_1:-10}"
warmup="${BENCH_WARMUP:-15}"
broker_warmup="${BENCH_BROKER_WARMUP:-30}"
servers="${BENCH_SERVERS:-ingress baseline1-l0 baseline2-l0 baseline1-l0-f1 baseline2-l0-f1}"
base="${BENCH_PORT_BASE:-18080}"
server_port="$base"
kafka_port="$((base + 1))"
registry_port="$((base + 2))"
hz="$(getconf CLK_TCK)"

work="$(mktemp -d -t shipstream-bench-XXXXXX)"
results="${BENCH_RESULTS:-$work/results.tsv}"
# shellcheck source=bench/lib.sh
source bench/lib.sh
devstack_pid=""
server_pid=""
stop_server() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  server_pid=""
}
cleanup() {
  # Only the processes this script started, by their ids.
  stop_server
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

# BENCH_PROFILE: async-profiler's library, from the linux-x64 jar of its Maven Central release.
profiler_version=4.2
profile_dir="${BENCH_PROFILE:-}"
profiler_lib=""
if [ -n "$profile_dir" ]; then
  mkdir -p "$profile_dir"
  profile_dir="$(cd "$profile_dir" && pwd)"
  echo "bench: async-profiler $profiler_version (Maven Central, through Maven's local repository)" >&2
  mvn -q dependency:copy -Dmdep.useBaseVersion=true -DoutputDirectory="$work/async-profiler" \
    -Dartifact="tools.profiler:async-profiler:$profiler_version:jar:linux-x64"
  python3 -m zipfile -e "$work/async-profiler/async-profiler-$profiler_version-linux-x64.jar" "$work/async-profiler"
  profiler_lib="$work/async-profiler/linux-x64/libasyncProfiler.so"
fi
# profiler COMMAND: runs an async-profiler command (start,... or stop,...) in the server, through jcmd.
profiler() {
  # Quoted, so that jcmd hands the whole option string to the agent instead of reading its '=' as its own.
  jcmd "$server_pid" JVMTI.agent_load "$profiler_lib" "\"$1\"" >"$work/profiler.out" 2>&1 \
    || { cat "$work/profiler.out" >&2; echo "bench: async-profiler failed: $1" >&2; exit 1; }
}

if [ "${BENCH_SKIP_BUILD:-false}" != "true" ] || [ ! -f ingress/target/run.classpath ]; then
  # A reactor build, no install: the classpaths point at this tree's target directories.
  echo "bench: building (./mvnw package -DskipTests -pl devstack -am)" >&2
  mvn -q package -DskipTests -pl devstack -am dependency:build-classpath \
    -Dmdep.outputFile=target/run.classpath -Dmdep.includeScope=runtime
fi
classpath="ingress/target/classes:$(cat ingress/target/run.classpath)"

start_broker "$work" "$kafka_port" "$registry_port" "$base"

secret="$(head -c 24 /dev/urandom | base64 | tr -d '/+=')"
# ingress_config FILE [PRODUCER MEMBERS]: the ingress's config file, with BENCH_PRODUCER and the given members.
ingress_config() {
  local members="${BENCH_PRODUCER:-}" producer_json=""
  [ -n "${2:-}" ] && members="${members:+$members, }$2"
  [ -n "$members" ] && producer_json=", \"producer\": { $members }"
  cat >"$1" <<JSON
{ "port": $server_port${BENCH_INGRESS_JSON:+, $BENCH_INGRESS_JSON},
  "kafka": { "bootstrapServers": "127.0.0.1:$kafka_port",
             "schemaRegistryUrl": "http://127.0.0.1:$registry_port"$producer_json } }
JSON
}
ingress_config "$work/ingress.json"

# The ingress's JVM options as shipped: those of its command in docker-compose.yml, so that the two cannot drift apart.
shipped_jvm_options="$(sed -n 's|.*command: \["java", \(.*\), "-jar", "/opt/shipstream/ingress.jar"\].*|\1|p' \
  docker-compose.yml | tr -d '",')"
[ -n "$shipped_jvm_options" ] || { echo "bench: no ingress command in docker-compose.yml" >&2; exit 2; }
# jvm_options NAME: the JVM options of the server NAME, the shipped ones for every server (the baseline too, the
# collector included); for a name ending in -g1 with the G1 collector instead.
jvm_options() {
  case "$1" in
    *-g1) sed -E 's/-XX:\+Use[A-Za-z]+GC//g; s/$/ -XX:+UseG1GC/' <<<"$shipped_jvm_options" ;;
    *) echo "$shipped_jvm_options" ;;
  esac
}

# start_server NAME: starts it on server_port, waits until it is ready, sets server_pid.
start_server() {
  # settings: the name without the collector's suffix, which jvm_options alone reads.
  local name="$1" settings="${1%-g1}"
  case "$name" in
    ingress*)
      local cp="$classpath" env=()
      case "$name" in ingress-ref*) cp="${BENCH_REF_CLASSES:?set BENCH_REF_CLASSES}:$(cat ingress/target/run.classpath)" ;; esac
      case "$name" in
        ingress-at-*)
          # The suffixes that change a setting (-nolog, -iN, -fN, -nio, -g1) are not part of the snapshot's name.
          local tag
          tag="$(sed -E ':a; s/-(nolog|i[0-9]+|f[0-9]+|nio|g1)$//; ta' <<<"${name#ingress-at-}")"
          local snapshot="${BENCH_SNAPSHOTS:?set BENCH_SNAPSHOTS}/$tag"
          cp="$snapshot/ingress:$snapshot/schemas:$(cat ingress/target/run.classpath)"
          ;;
      esac
      local config="$work/ingress.json"
      case "$settings" in *-f[0-9]*)
        config="$work/$name.json"
        ingress_config "$config" "\"max.in.flight.requests.per.connection\": \"${settings##*-f}\""
        ;;
      esac
      case "$settings" in *-i[0-9]*) env+=("SHIPSTREAM_INGRESS_INSTANCES=${settings##*-i}") ;; esac
      case "$name" in *-nolog*) env+=("SHIPSTREAM_INGRESS_ACCESS_LOG=false") ;; esac
      case "$settings" in *-nio*) env+=("SHIPSTREAM_INGRESS_NATIVE_TRANSPORT=false") ;; esac
      local java_opts="${BENCH_JAVA_OPTS:-}"
      # shellcheck disable=SC2046,SC2086
      env "${env[@]}" SHIPSTREAM_ASC_SECRET="$secret" java $(jvm_options "$name") ${java_opts//\{name\}/$name} \
        -cp "$cp" dev.shipstream.ingress.IngressMain "$config" >"$work/$name.log" 2>&1 &
      ;;
    baseline*)
      local loops="${settings#baseline}" linger="" in_flight=""
      local transport=native
      case "$loops" in *-nio) loops="${loops%-nio}"; transport=nio ;; esac
      case "$loops" in *-f[0-9]*)
        in_flight="max.in.flight.requests.per.connection=${loops##*-f}"; loops="${loops%-f*}" ;;
      esac
      case "$loops" in *-l*) linger="linger.ms=${loops#*-l}"; loops="${loops%-l*}" ;; esac
      local java_opts="${BENCH_BASELINE_JAVA_OPTS:-}"
      # shellcheck disable=SC2046,SC2086
      RECEIVER_TRANSPORT="$transport" SHIPSTREAM_ASC_SECRET="$secret" \
        java $(jvm_options "$name") ${java_opts//\{name\}/$name} \
        -cp "$classpath" bench/baseline/MinimalReceiver.java "$server_port" "127.0.0.1:$kafka_port" \
        shipstream.webhooks.raw "$loops" $linger $in_flight ${BENCH_BASELINE_PRODUCER:-} >"$work/$name.log" 2>&1 &
      ;;
    *) echo "bench: unknown server $name" >&2; exit 2 ;;
  esac
  server_pid=$!
  for _ in $(seq 1 90); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$server_port/health/ready" || true)" = "200" ] \
      && return 0
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/$name.log" >&2; exit 1; }
    sleep 1
  done
  echo "bench: $name did not become ready" >&2
  exit 1
}

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
    if i == 0:
        open(out + ".first.json", "w").write(body)
        open(out + ".first.sig", "w").write(sig)
open(out, "w").write("return {\n" + ",\n".join(entries) + "\n}\n")
PY

# first_requests ROUND NAME: the times of the server's first two webhooks after it became ready, each from its own
# curl (a new connection, as the readiness checks before them had): the first pays for what the server leaves until a
# webhook comes (class loading, lazy initialisation, code not yet compiled). Appends "round name first second" (ms).
first_requests() {
  local times=() code
  for _ in 1 2; do
    read -r seconds code < <(curl -s -o /dev/null -w '%{time_total} %{http_code}\n' \
      -H 'content-type: application/json' -H "x-apple-signature: $(cat "$work/payloads.lua.first.sig")" \
      --data-binary "@$work/payloads.lua.first.json" "http://127.0.0.1:$server_port/webhooks/app-store-connect/default")
    [ "$code" = "200" ] || { echo "bench: $2 answered its first webhooks $code" >&2; exit 1; }
    times+=("$(awk -v s="$seconds" 'BEGIN { printf "%.1f", s * 1000 }')")
  done
  echo "bench: round $1 $2: first webhook ${times[0]} ms, second ${times[1]} ms" >&2
  printf '%s\t%s\t%s\t%s\n' "$1" "$2" "${times[0]}" "${times[1]}" >>"$work/first.tsv"
}

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
# The system calls BENCH_SYSCALLS counts: all of them (raw_syscalls), then those of sockets, polling, timers and locks.
syscall_events="raw_syscalls:sys_enter$(printf ',syscalls:sys_enter_%s' read write readv writev recvfrom sendto \
  epoll_wait epoll_pwait epoll_pwait2 epoll_ctl timerfd_settime futex)"
if [ "${BENCH_SYSCALLS:-false}" = "true" ] && ! command -v perf >/dev/null; then
  echo "bench: BENCH_SYSCALLS=true needs perf (Debian: linux-perf)" >&2
  exit 2
fi
# CPU ticks of this script's finished children: read around a wrk run, wrk's own CPU (the load generator's share of
# the machine; the one command substitution in between adds a millisecond).
children_ticks() { awk '{ print $16 + $17 }' "/proc/$$/stat"; }
# "<busy> <user> <system> <softirq> <idle> <steal>" ticks of the whole machine since boot (/proc/stat's cpu line; user
# and system include nice and irq; idle includes iowait; busy = user + system + softirq; steal = time the hypervisor
# gave to someone else).
machine_ticks() {
  awk '/^cpu / { print $2 + $3 + $4 + $7 + $8, $2 + $3, $4 + $7, $8, $5 + $6, $9 }' /proc/stat
}
# "<thread name>|<ticks>|<sleeps>|<preemptions>|<ns>" per thread of process $1, thread numbers dropped so that pools
# add up: CPU ticks (user + system), voluntary context switches (the thread went to sleep: nothing to do, or waiting
# for a lock), involuntary ones (it could have run on, but the scheduler gave its core to another thread), and the
# time it ran in nanoseconds (/proc/.../schedstat, where the kernel keeps it; empty elsewhere). Ticks are samples,
# taken CLK_TCK times a second: a thread that runs in short bursts (the access log's writer) can be charged far more
# or less than it ran, so the nanoseconds are used when there.
thread_stats() {
  local task
  for task in /proc/"$1"/task/*; do
    printf '%s|%s|%s|%s\n' "$(sed -E 's/[-#]?[0-9]+$//' "$task/comm" 2>/dev/null)" \
      "$(awk '{ print $14 + $15 }' "$task/stat" 2>/dev/null)" \
      "$(awk '/^voluntary_ctxt_switches/ { v = $2 } /^nonvoluntary_ctxt_switches/ { n = $2 } END { print v "|" n }' \
        "$task/status" 2>/dev/null)" \
      "$(awk '{ print $1 }' "$task/schedstat" 2>/dev/null)"
  done
}

# measure ROUND SERVER CONNECTIONS THREADS SECONDS: one wrk run; appends a result row (no row for ROUND "warmup").
measure() {
  local round="$1" name="$2" connections="$3" threads="$4" seconds="$5"
  local before after broker_before broker_after load
  local profiled=false
  if [ -n "$profiler_lib" ] && [ "$round" != "warmup" ] && [ "$connections" = 50 ]; then
    profiled=true
    profiler "start,event=cpu,interval=${BENCH_PROFILE_INTERVAL:-1ms},threads"
  fi
  load="$(cut -d' ' -f1 /proc/loadavg)"
  [ "${BENCH_THREAD_CPU:-false}" = "true" ] && thread_stats "$server_pid" >"$work/threads.before"
  before="$(cpu_ticks "$server_pid")"
  broker_before="$(cpu_ticks "$devstack_pid")"
  local counters_before counters_after
  counters_before="$(broker_counters "$work")"
  local machine_before machine_after children_before children_after
  machine_before="$(machine_ticks)"
  children_before="$(children_ticks)"
  # With BENCH_SYSCALLS=true, the server's system calls over the measured run, counted by the kernel's tracepoints
  # (perf stat; no hardware counters needed): a figure that does not move with the machine's speed.
  local syscalls_pid=""
  if [ "${BENCH_SYSCALLS:-false}" = "true" ] && [ "$round" != "warmup" ]; then
    perf stat -x, -e "$syscall_events" -p "$server_pid" -o "$work/syscalls.out" &
    syscalls_pid=$!
  fi
  BENCH_PAYLOADS="$work/payloads.lua" BENCH_PATH="/webhooks/app-store-connect/default" \
    wrk -t"$threads" -c"$connections" -d"${seconds}s" --latency -s bench/ingress/report.lua \
    "http://127.0.0.1:$server_port" >"$work/wrk.out"
  if [ -n "$syscalls_pid" ]; then
    kill -INT "$syscalls_pid"
    wait "$syscalls_pid" || true
  fi
  machine_after="$(machine_ticks)"
  children_after="$(children_ticks)"
  after="$(cpu_ticks "$server_pid")"
  broker_after="$(cpu_ticks "$devstack_pid")"
  counters_after="$(broker_counters "$work")"
  [ "$round" = "warmup" ] && return 0
  local requests label="round $round $name $connections connection(s)"
  requests="$(awk '/^requests / { print $2 }' "$work/wrk.out")"
  if [ "$profiled" = true ]; then
    profiler "stop,collapsed,file=$profile_dir/round-$round-$name.collapsed"
    printf '%s\t%s\t%s\t%s\n' "$round" "$name" "${requests:-0}" "${BENCH_PROFILE_INTERVAL:-1ms}" \
      >>"$profile_dir/requests.tsv"
  fi
  # Per-request figures divide by it: at least 1, also when wrk answered nothing.
  [ "${requests:-0}" -gt 0 ] || requests=1
  # How the records reached the broker: how many a produce request carried on average over the run (the broker's own
  # counts, the same for every server), and how many produce requests it handled per 100 webhooks answered.
  if [ -n "$counters_before" ] && [ -n "$counters_after" ]; then
    awk -v b="$counters_before" -v a="$counters_after" -v r="$requests" -v label="$label" 'BEGIN {
        split(b, x, " "); split(a, y, " "); produce = y[1] - x[1]; records = y[2] - x[2]
        if (produce > 0) printf "bench: %s, broker: %.2f records per produce request, %.1f produce requests per 100" \
          " requests\n", label, records / produce, produce * 100 / r }' >&2
  fi
  if [ -n "$syscalls_pid" ]; then
    # perf's CSV: count,unit,event,...; "sys_enter_" dropped from the names.
    awk -F, -v r="$requests" -v label="$label" '
        $3 ~ /sys_enter/ { name = $3 == "raw_syscalls:sys_enter" ? "all" : substr($3, index($3, "sys_enter_") + 10)
                           n[name] = $1; order[++k] = name }
        END { printf "bench: %s, server system calls per request:", label
              for (i = 1; i <= k; i++) if (n[order[i]] > 0) printf " %s %.2f;", order[i], n[order[i]] / r
              print "" }' "$work/syscalls.out" >&2
  fi
  if [ "${BENCH_THREAD_CPU:-false}" = "true" ]; then
    thread_stats "$server_pid" >"$work/threads.after"
    awk -F'|' -v r="$requests" -v hz="$hz" -v label="$label" '
        NR == FNR { before[$1] += $2; sleeps[$1] -= $3; preempted[$1] -= $4; ns[$1] -= $5; timed += $5 != ""; next }
        { after[$1] += $2; sleeps[$1] += $3; preempted[$1] += $4; ns[$1] += $5 }
        END { for (t in after) us[t] = timed ? ns[t] / 1000 / r : (after[t] - before[t]) / hz * 1e6 / r
              printf "bench: %s, server CPU µs/request by thread:", label
              for (t in us) if (us[t] >= 0.05) printf " %s %.1f;", t, us[t]
              print ""
              if (timed) {
                printf "bench: %s, the same from tick samples:", label
                for (t in us) if (us[t] >= 0.05) printf " %s %.1f;", t, (after[t] - before[t]) / hz * 1e6 / r
                print ""
              }
              # Per 100 requests: how often each busier thread slept (woke up again later) and was preempted.
              printf "bench: %s, server threads per 100 requests, sleeps / preemptions:", label
              for (t in us) if (us[t] >= 0.5) printf " %s %.1f / %.1f;", t, sleeps[t] * 100 / r, preempted[t] * 100 / r
              print "" }' "$work/threads.before" "$work/threads.after" >&2
    # The whole machine over the run, per request: where the cores went. "other" is busy time of neither the server,
    # the broker nor wrk (kernel work not charged to them, and anything else running); it can come out negative,
    # since /proc/stat counts tick samples and the processes' own times are exact (a few µs at 1 connection).
    awk -v r="$requests" -v hz="$hz" -v wrk="$((children_after - children_before))" \
      -v server="$((after - before))" -v broker="$((broker_after - broker_before))" \
      -v before="$machine_before" -v after="$machine_after" -v label="$label" '
        BEGIN { split(before, b, " "); split(after, a, " ")
                us = 1e6 / hz / r
                printf "bench: %s, machine µs/request: busy %.1f (user %.1f, system %.1f, softirq %.1f; server %.1f," \
                  " broker %.1f, wrk %.1f, other %.1f), idle %.1f, steal %.1f\n", label, (a[1] - b[1]) * us,
                  (a[2] - b[2]) * us, (a[3] - b[3]) * us, (a[4] - b[4]) * us, server * us, broker * us, wrk * us,
                  (a[1] - b[1] - server - broker - wrk) * us, (a[5] - b[5]) * us, (a[6] - b[6]) * us }' >&2
  fi
  # The result row. "server ÷ wrk" is the server's CPU in units of the load generator's, which does nearly the same
  # work per request whatever the server (it reads a slightly longer answer from the ingress): a yardstick for a
  # machine whose speed changes from minute to minute, when CPU per request moves by ±20 % for every process at once.
  awk -v round="$round" -v name="$name" -v c="$connections" -v load="$load" -v t="$((after - before))" \
    -v b="$((broker_after - broker_before))" -v w="$((children_after - children_before))" -v r="$requests" \
    -v hz="$hz" '
      { v[$1] = $2 }
      END { printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%.1f\t%.1f\t%d\t%s\t%.1f\t%.2f\n", round, name, c, v["requests/s"],
              v["p50_ms"], v["p99_ms"], v["p99.9_ms"], t / hz * 1e6 / r, b / hz * 1e6 / r,
              v["non_2xx"] + v["socket_errors"], load, w / hz * 1e6 / r, (w > 0 ? t / w : 0) }' "$work/wrk.out" \
    >>"$results"
}

echo "bench: machine: $(machine), $(free -g | awk '/Mem:/ { print $2 }') GiB RAM, load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u '+%Y-%m-%d %H:%M UTC')"
read -r -a order <<<"$servers"
if [ "$broker_warmup" -gt 0 ]; then
  echo "bench: warming the broker up for ${broker_warmup}s through ${order[0]} (not measured)" >&2
  start_server "${order[0]}"
  measure warmup "${order[0]}" 50 2 "$broker_warmup"
  stop_server
fi
for round in $(seq 1 "$rounds"); do
  for i in "${!order[@]}"; do
    name="${order[$(((i + round - 1) % ${#order[@]}))]}"
    echo "bench: round $round: $name (warm-up ${warmup}s, ${duration}s at 50, ${duration_1}s at 1)" >&2
    start_server "$name"
    first_requests "$round" "$name"
    measure warmup "$name" 50 2 "$warmup"
    measure "$round" "$name" 50 2 "$duration"
    measure "$round" "$name" 1 1 "$duration_1"
    stop_server
  done
done

# The table: per round and server, with the ingress's ratio to the best baseline of the same round and connections
# (requests/s), and its CPU in units of wrk's over the cheapest baseline's (see "server ÷ wrk" in measure).
echo
echo "| round | server | connections | requests/s | ratio to best baseline | p50 ms | p99 ms | p99.9 ms | server CPU µs/request | broker CPU µs/request | errors | load | wrk CPU µs/request | server ÷ wrk | ÷ wrk, to the cheapest baseline |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
awk -F'\t' '
  { row[NR] = $0; k = $1 "/" $3
    if ($2 ~ /^baseline/ && $4 > best[k]) best[k] = $4
    if ($2 ~ /^baseline/ && $13 > 0 && (!(k in cheapest) || $13 < cheapest[k])) cheapest[k] = $13 }
  END { for (i = 1; i <= NR; i++) { split(row[i], f, "\t"); k = f[1] "/" f[3];
          ratio = (f[2] ~ /^ingress/ && best[k] > 0) ? sprintf("%.2f", f[4] / best[k]) : "";
          cpu = (f[2] ~ /^ingress/ && cheapest[k] > 0) ? sprintf("%.2f", f[13] / cheapest[k]) : "";
          printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", f[1], f[2], f[3],
            f[4], ratio, f[5], f[6], f[7], f[8], f[9], f[10], f[11], f[12], f[13], cpu } }' "$results"

echo
echo "| server | first webhook ms, per round | median | second webhook ms, per round | median |"
echo "|---|---|---|---|---|"
sort -k2,2 -k1,1n "$work/first.tsv" | awk -F'\t' '
  function median(list,   n, a, i, j, t) {
    n = split(substr(list, 2), a, " ")
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
    return n % 2 ? a[(n + 1) / 2] : sprintf("%.1f", (a[n / 2] + a[n / 2 + 1]) / 2) }
  !($2 in first) { names[++k] = $2 }
  { first[$2] = first[$2] " " $3; second[$2] = second[$2] " " $4 }
  END { for (i = 1; i <= k; i++) printf "| %s |%s | %s |%s | %s |\n", names[i], first[names[i]],
          median(first[names[i]]), second[names[i]], median(second[names[i]]) }'
