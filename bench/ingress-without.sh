#!/usr/bin/env bash
# Builds of the ingress with one feature left out, made only to measure what each costs end to end (never shipped;
# docs/benchmarks.md, runs P1 and P2 of 2026-12-03). Each is the committed code of HEAD with one edit, compiled in a
# scratch clone and kept as a snapshot for bench/ingress.sh's ingress-at-TAG servers:
#   nokey      the record key is the receiver's ("entity-" and the body's hash modulo 64) instead of EntityKeys' parse
#   noenv      the record's value is the body alone (no Avro envelope); RawWebhooks.of skips its pass over the headers
#   nometrics  IngressMetrics' four per-request methods return at once
#   nokeyenv   nokey and noenv together
#   bare       nokey, noenv and nometrics together (add -nolog to the server's name for the access log off as well)
# An edit that no longer finds its line fails the build of that snapshot with a message naming it.
#
# Usage: bench/ingress-without.sh SNAPSHOTS_DIR [TAG ...]   (default: every tag above), then e.g.
#   BENCH_SNAPSHOTS=SNAPSHOTS_DIR BENCH_SERVERS="ingress ingress-at-nokey ingress-at-noenv ingress-at-nometrics
#   ingress-nolog baseline1-l0-f1 baseline2-l0-f1" BENCH_ROUNDS=4 BENCH_WARMUP=25 BENCH_THREAD_CPU=true bench/ingress.sh
set -euo pipefail

snapshots="${1:?usage: bench/ingress-without.sh SNAPSHOTS_DIR [TAG ...]}"
shift
tags=("$@")
[ ${#tags[@]} -gt 0 ] || tags=(nokey noenv nometrics nokeyenv bare)
# Resolved before leaving the caller's directory, so that a relative SNAPSHOTS_DIR means what it says.
mkdir -p "$snapshots"
snapshots="$(cd "$snapshots" && pwd)"
cd "$(dirname "$0")/.."

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
git clone -q . "$scratch/repo"
src="$scratch/repo/ingress/src/main/java/dev/shipstream/ingress"

# edit FEATURE: applies the edits that leave FEATURE out to the scratch clone.
edit() {
  python3 - "$src" "$1" <<'PY'
import sys
src, feature = sys.argv[1], sys.argv[2]
# javac refuses code after a plain return; this one is reachable as far as it knows.
RETURN_AT_ONCE = "\n        if (Boolean.TRUE) {\n            return;\n        }"
edits = {
    "nokey": [("publish/EntityKey.java", "return EntityKeys.keyOf(source.schemaSource(), body);",
               'return "entity-" + Math.floorMod(java.util.Arrays.hashCode(body), 64);')],
    "noenv": [("publish/KafkaRawWebhookPublisher.java",
               "byte[] value = RawWebhookEncoder.encode(schemaId.getAsInt(), record);",
               "byte[] value = record.getBody().array();"),
              ("http/RawWebhooks.java", "for (Map.Entry<String, String> header : requestHeaders) {",
               "for (Map.Entry<String, String> header : java.util.List.<Map.Entry<String, String>>of()) {")],
    "nometrics": [("http/IngressMetrics.java", method, method + RETURN_AT_ONCE) for method in (
        "public void requestStarted() {", "public void requestEnded() {",
        "public void countRequest(String source, String endpoint, int status) {",
        "public void publishFinished(WebhookSource source, String outcome, long nanos) {")],
}
for path, old, new in edits[feature]:
    with open(src + "/" + path) as f:
        text = f.read()
    if text.count(old) != 1:
        sys.exit("bench: cannot leave out %s: %s no longer has the line %r" % (feature, path, old))
    with open(src + "/" + path, "w") as f:
        f.write(text.replace(old, new))
PY
}

for tag in "${tags[@]}"; do
  (cd "$scratch/repo" && git checkout -q -- .)
  case "$tag" in
    nokey | noenv | nometrics) edit "$tag" ;;
    nokeyenv) edit nokey; edit noenv ;;
    bare) edit nokey; edit noenv; edit nometrics ;;
    *) echo "bench: unknown tag $tag" >&2; exit 2 ;;
  esac
  echo "bench: building the ingress without $tag" >&2
  (cd "$scratch/repo" && ./mvnw -q package -DskipTests -pl ingress -am >/dev/null)
  rm -rf "${snapshots:?}/$tag"
  mkdir -p "$snapshots/$tag"
  cp -r "$scratch/repo/ingress/target/classes" "$snapshots/$tag/ingress"
  cp -r "$scratch/repo/schemas/target/classes" "$snapshots/$tag/schemas"
done
echo "bench: snapshots in $snapshots: ${tags[*]}" >&2
