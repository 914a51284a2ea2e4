#!/usr/bin/env bash
# Benchmark of the ingress's access log on its own (not a test): what one access line costs the thread that writes
# it (an event loop in the ingress) and the access lines' writer thread, in CPU time and bytes allocated, with the
# shipped writer to standard output sent to a file (bench/accesslog/AccessLogCost.java). No server, broker or
# network: it isolates the log from the rest of a request, which bench/ingress.sh cannot (there the log's cost is
# the difference between `ingress` and `ingress-nolog`, within the noise of single rounds).
#
# Knobs (environment):
#   BENCH_ROUNDS       rounds (default 8; the first ones include the JIT's warm-up)
#   BENCH_LINES        lines per round (default 1000000)
#   BENCH_SKIP_BUILD   true: use the classes already built (ingress/target/classes and ingress/target/test.classpath)
#   BENCH_MVN_OPTS     extra Maven options (e.g. -o)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
rounds="${BENCH_ROUNDS:-8}"
lines="${BENCH_LINES:-1000000}"
work="$(mktemp -d -t shipstream-access-log-XXXXXX)"
trap 'rm -rf "$work"' EXIT
# shellcheck source=bench/lib.sh
source bench/lib.sh

# The ingress's test class path: the program waits for the writer with Awaitility, a test dependency.
if [ "${BENCH_SKIP_BUILD:-false}" != "true" ] || [ ! -f ingress/target/test.classpath ]; then
  echo "bench: building (./mvnw package -DskipTests -pl ingress -am)" >&2
  mvn -q package -DskipTests -pl ingress -am dependency:build-classpath \
    -Dmdep.outputFile=target/test.classpath -Dmdep.includeScope=test
fi
classpath="ingress/target/classes:$(cat ingress/target/test.classpath)"
# In the package of the log: the line is written through package-private methods, as the ingress's routes do.
javac -d "$work/classes" -cp "$classpath" bench/accesslog/AccessLogCost.java

echo "# $(machine), $(java -version 2>&1 | head -1), $(date -u +%FT%TZ), load average $(cut -d' ' -f1 /proc/loadavg)"
# The shipped JVM options of the ingress (docker-compose.yml), and its shipped writer: stdout, here to a file.
java -Xmx512m -XX:+UseParallelGC -cp "$work/classes:$classpath" dev.shipstream.ingress.http.AccessLogCost \
  "$rounds" "$lines" >"$work/access.log"
echo "# a line as written: $(tail -1 "$work/access.log")"
