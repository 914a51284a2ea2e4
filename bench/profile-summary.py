#!/usr/bin/env python3
"""Where each server's CPU goes per request, from the profiles of `BENCH_PROFILE=DIR bench/ingress.sh` (not a test).

Reads DIR/requests.tsv ("round name requests interval" per profiled run) and DIR/round-R-NAME.collapsed (async-profiler's
collapsed stacks, the thread's name first, one sample per interval of a thread's CPU time), adds up the rounds of each
server and prints, in µs of CPU per request:

  1. by thread (event loops, the producer's network thread, JIT, GC, ...; numbers dropped so that pools add up);
  2. by what the work was for, on the thread group chosen with --threads (default: the event loops): a kernel sample by
     the system call its Java code made; any other by the outermost frame of its stack that belongs to one of the
     PURPOSES below (the HMAC check, the producer's send, the envelope, the key, ...: all a feature calls is its cost),
     else by the layer of its deepest frame (the server's own code, Vert.x, Netty, ...);
  3. with --diff A B, the leaf frames whose µs per request differ most between servers A and B on that thread group.

Usage: bench/profile-summary.py DIR [--threads REGEX] [--diff A B] [--top N]
"""
import argparse
import collections
import re
import sys

# What the work was for: the outermost frame of a sample's stack that one of these rules names (everything a feature
# calls is that feature's cost)...
PURPOSES = [
    ("HMAC-SHA256 check", r"javax/crypto/Mac|MessageDigest\.isEqual"),
    ("Kafka producer send (caller's thread)", r"org/apache/kafka/clients/producer/KafkaProducer\.send"),
    ("Avro envelope", r"RawWebhookEncoder|RecordEnvelope|RawWebhooks\.of"),
    ("entity key", r"EntityKey\.of"),
    ("access log", r"dev/shipstream/ingress/http/AccessLog"),
    ("meters", r"IngressMetrics\."),
]
# ... or else the layer of its deepest frame that one of these names.
LAYERS = [
    ("own request handling", r"dev/shipstream|MinimalReceiver"),
    ("Vert.x HTTP server", r"io/vertx/core/http|io/vertx/core/net"),
    ("Vert.x context, futures", r"io/vertx/core"),
    ("Netty HTTP codec", r"io/netty/handler/codec"),
    ("Netty transport, buffers", r"io/netty"),
    ("Kafka producer (network thread)", r"org/apache/kafka"),
]
# A kernel sample, by the deepest Java frame above it: which system call the code was making.
KERNEL_CALLS = [
    ("kernel: waking another thread", r"eventfd|wakeup|IOUtil\.(write1|drain)|clearInterrupt|unpark"),
    ("kernel: socket send", r"sendAddress|writeAddress|writev|Socket\.send|Dispatcher(Impl)?\.write|IOUtil\.write"),
    ("kernel: socket receive", r"recvAddress|readAddress|Socket\.recv|Dispatcher(Impl)?\.read|IOUtil\.read"),
    ("kernel: epoll", r"epoll"),
    ("kernel: parking", r"park"),
]
KERNEL = re.compile(r"_\[k\]$")
JAVA = re.compile(r"^[a-z][\w$]*/")


def category(frames):
    if KERNEL.search(frames[-1]):
        java = [f for f in frames if JAVA.search(f) and not KERNEL.search(f)]
        if java:
            for name, rule in KERNEL_CALLS:
                if re.search(rule, java[-1], re.IGNORECASE):
                    return name
        return "kernel: other"
    for frame in frames:
        for name, rule in PURPOSES:
            if re.search(rule, frame):
                return name
    found = None
    for frame in frames:
        for name, rule in LAYERS:
            if re.search(rule, frame):
                found = name
                break
    if found:
        return found
    return "JDK, other Java" if any(JAVA.search(f) for f in frames) else "JVM (interpreter, JIT, GC, runtime)"


def thread_group(frame):
    name = re.sub(r" tid=\d+\]$", "", frame).lstrip("[")
    return re.sub(r"[-#]?\d+$", "", name)


def interval_micros(text):
    match = re.fullmatch(r"(\d+)(ns|us|ms|s)?", text)
    if not match:
        sys.exit("bench: cannot read the interval %r" % text)
    scale = {"ns": 1e-3, "us": 1.0, "ms": 1e3, "s": 1e6, None: 1e-3}[match.group(2)]
    return int(match.group(1)) * scale


def load(directory, threads):
    servers = collections.OrderedDict()
    with open(directory + "/requests.tsv") as runs:
        for line in runs:
            round_, name, requests, interval = line.split()
            server = servers.setdefault(name, {"requests": 0, "groups": collections.Counter(),
                                               "categories": collections.Counter(), "leaves": collections.Counter()})
            weight = interval_micros(interval)
            server["requests"] += int(requests)
            with open("%s/round-%s-%s.collapsed" % (directory, round_, name)) as stacks:
                for stack_line in stacks:
                    stack, _, count = stack_line.rstrip("\n").rpartition(" ")
                    frames = stack.split(";")
                    micros = int(count) * weight
                    group = thread_group(frames[0])
                    server["groups"][group] += micros
                    if re.search(threads, group):
                        server["categories"][category(frames[1:])] += micros
                        server["leaves"][frames[-1]] += micros
    for server in servers.values():
        for key in ("groups", "categories", "leaves"):
            for k in server[key]:
                server[key][k] /= max(1, server["requests"])
    return servers


def table(title, servers, key, floor=0.05):
    names = list(servers)
    totals = collections.Counter()
    for server in servers.values():
        totals.update(server[key])
    rows = [k for k, _ in totals.most_common() if max(s[key][k] for s in servers.values()) >= floor]
    print("\n| %s | %s |" % (title, " | ".join(names)))
    print("|---|" + "---|" * len(names))
    for k in rows:
        print("| %s | %s |" % (k, " | ".join("%.2f" % servers[n][key][k] for n in names)))
    print("| all | %s |" % " | ".join("%.2f" % sum(servers[n][key].values()) for n in names))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory")
    parser.add_argument("--threads", default="eventloop")
    parser.add_argument("--diff", nargs=2, metavar=("A", "B"))
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    servers = load(args.directory, args.threads)
    print("Profiled requests: " + ", ".join("%s %d" % (n, s["requests"]) for n, s in servers.items()))
    table("CPU µs per request, by thread", servers, "groups")
    table("CPU µs per request on threads matching %r, by what it was for" % args.threads, servers, "categories")
    if args.diff:
        a, b = (servers[n]["leaves"] for n in args.diff)
        frames = sorted(set(a) | set(b), key=lambda f: -abs(a[f] - b[f]))[:args.top]
        print("\n| leaf frame (threads %r) | %s | %s | difference |" % (args.threads, args.diff[0], args.diff[1]))
        print("|---|---|---|---|")
        for f in frames:
            print("| %s | %.3f | %.3f | %+.3f |" % (f, a[f], b[f], a[f] - b[f]))


if __name__ == "__main__":
    main()
