import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.shipstream.devstack.DevStack;
import dev.shipstream.devstack.DevStackOptions;
import dev.shipstream.ingress.verify.AppStoreConnectVerifier;
import dev.shipstream.ingress.verify.Secret;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;

/**
 * Webhook accepted → target called, through the whole product (not a test, not shipped): the devstack in this
 * process (broker, registry, the real ingress and streams app, Apache Kafka's Connect worker loading the packaged
 * plugin from {@code plugin.path}), a connector from {@code connectors/examples/}, and a stub of the target on
 * 127.0.0.1 (the JDK's HTTP server: it records when each request arrives and answers at once). Signed App Store
 * Connect webhooks are POSTed at a fixed rate; for every one the ingress accepted, the time from its 200 to the
 * stub's receipt of the request naming its event id goes into an HdrHistogram (microseconds).
 *
 * <p>Target {@code slack}: build-upload FAILED webhooks, the use-case-4 example with its one rule split into one
 * rule per channel (the same expression, plus which channel the event's build upload belongs to), so that the
 * connector's limit of one message per second per channel is kept while the rate is spread over the channels; the
 * stub also reports the smallest gap it saw between two messages to one channel.
 *
 * <p>Target {@code github}: build-upload COMPLETE webhooks and the use-case-1 example (one repository, so at most
 * one dispatch per second: the CI sink's default), the stub answering {@code POST /repos/.../dispatches} with 204.
 *
 * <p>Run as a single-file program with the devstack's classpath (bench/slack.sh and bench/ci.sh do):
 * {@code java -cp devstack/target/classes:$(cat devstack/target/devstack.classpath) bench/ConnectorLatency.java
 * slack|github <plugin-path> <examples-dir> <work-dir> <rate/s> <count> <warm-up count> <channels>}.
 * The connector's secret comes from the environment ({@code SHIPSTREAM_SLACK_TOKEN}, {@code SHIPSTREAM_GITHUB_TOKEN}),
 * as in the examples.
 */
public final class ConnectorLatency {

    private static final String SECRET = "bench-app-store-connect-webhook-secret";
    private static final Pattern SLACK_EVENT = Pattern.compile("Event (bench-[a-z0-9-]+)");
    private static final Pattern DISPATCH_EVENT = Pattern.compile("\"eventId\":\"(bench-[a-z0-9-]+)\"");
    /** The repository of the use-case-1 example; the stub answers GitHub's repository_dispatch there. */
    private static final String DISPATCHES = "/repos/your-org/your-app/dispatches";
    private static final Pattern SLACK_CHANNEL = Pattern.compile("\"channel\":\"([^\"]+)\"");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Long> acceptedAt = new ConcurrentHashMap<>();
    private final Map<String, Long> receivedAt = new ConcurrentHashMap<>();
    private final Map<String, Long> lastPerChannel = new ConcurrentHashMap<>();
    private final AtomicLong smallestChannelGapNanos = new AtomicLong(Long.MAX_VALUE);
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicInteger stubRequests = new AtomicInteger();

    private final boolean github;

    private ConnectorLatency(boolean github) {
        this.github = github;
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 8 || !(args[0].equals("slack") || args[0].equals("github"))) {
            System.err.println("usage: ConnectorLatency slack|github <plugin-path> <examples-dir> <work-dir> <rate/s>"
                    + " <count> <warm-up> <channels>");
            System.exit(2);
        }
        boolean github = args[0].equals("github");
        new ConnectorLatency(github).run(Path.of(args[1]), Path.of(args[2]), Path.of(args[3]),
                Double.parseDouble(args[4]), Integer.parseInt(args[5]), Integer.parseInt(args[6]),
                github ? 1 : Integer.parseInt(args[7]));
    }

    private void run(Path plugins, Path examples, Path work, double rate, int count, int warmUp, int channels)
            throws Exception {
        // Without TCP_NODELAY the JDK's server writes a response's headers and body in two segments, and the second
        // waits for the client's delayed ACK: 44 ms per request against 0.6-2 ms with it (measured here, JDK 17),
        // which capped the stub, not the connector, at about 22 requests/s.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer stub = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        ExecutorService stubThreads = Executors.newFixedThreadPool(4);
        stub.setExecutor(stubThreads);
        stub.createContext("/api/chat.postMessage", this::slackMessage);
        stub.createContext(DISPATCHES, this::dispatch);
        stub.start();
        String stubUrl = "http://127.0.0.1:" + stub.getAddress().getPort();

        Map<String, String> env = Map.of("SHIPSTREAM_ASC_SECRET", SECRET);
        try (DevStack stack = DevStack.start(new DevStackOptions(work.resolve("data"), true, 0, 0, 0, 0, 0, plugins),
                env)) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            createConnector(http, stack, github ? githubConnector(examples, stubUrl, stack.bootstrapServers())
                    : slackConnector(examples, stubUrl + "/api", stack.bootstrapServers(), channels));
            System.out.println("stack ready; sending " + warmUp + " warm-up and " + count + " measured webhooks at "
                    + rate + "/s " + (github ? "(build uploads COMPLETE, one repository)"
                    : "over " + channels + " channel(s)"));

            URI ingress = URI.create("http://127.0.0.1:" + stack.ingressPort() + "/webhooks/app-store-connect/default");
            int total = warmUp + count;
            CountDownLatch sent = new CountDownLatch(total);
            AtomicInteger next = new AtomicInteger();
            ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
            pacer.scheduleAtFixedRate(() -> {
                int seq = next.getAndIncrement();
                if (seq >= total) {
                    return;
                }
                String eventId = "bench-e-" + seq;
                byte[] body = buildUpload(eventId, "bench-u-" + seq + "-c" + (seq % channels),
                        github ? "COMPLETE" : "FAILED");
                HttpRequest request = HttpRequest.newBuilder(ingress).timeout(Duration.ofSeconds(30))
                        .header("content-type", "application/json")
                        .header(AppStoreConnectVerifier.SIGNATURE_HEADER,
                                AppStoreConnectVerifier.signatureHeaderValue(Secret.of(SECRET), body))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
                http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((answer, failure) -> {
                    if (failure == null && answer.statusCode() == 200) {
                        if (seq >= warmUp) {
                            acceptedAt.put(eventId, System.nanoTime());
                        }
                    } else {
                        refused.incrementAndGet();
                    }
                    sent.countDown();
                });
            }, 0, Math.round(1_000_000 / rate), TimeUnit.MICROSECONDS);
            sent.await();
            pacer.shutdownNow();

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!receivedAt.keySet().containsAll(acceptedAt.keySet()) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            report(count, channels);
        } finally {
            stub.stop(0);
            stubThreads.shutdownNow();
        }
    }

    private void slackMessage(HttpExchange exchange) throws IOException {
        long now = System.nanoTime();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        stubRequests.incrementAndGet();
        Matcher event = SLACK_EVENT.matcher(body);
        if (event.find()) {
            receivedAt.putIfAbsent(event.group(1), now);
        }
        Matcher channel = SLACK_CHANNEL.matcher(body);
        if (channel.find()) {
            Long previous = lastPerChannel.put(channel.group(1), now);
            if (previous != null) {
                smallestChannelGapNanos.accumulateAndGet(now - previous, Math::min);
            }
        }
        byte[] answer = ("{\"ok\":true,\"channel\":\"C0BENCH\",\"ts\":\"" + Instant.now().getEpochSecond() + "."
                + String.format("%06d", stubRequests.get() % 1_000_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("content-type", "application/json");
        exchange.sendResponseHeaders(200, answer.length);
        exchange.getResponseBody().write(answer);
        exchange.close();
    }

    private void dispatch(HttpExchange exchange) throws IOException {
        long now = System.nanoTime();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        stubRequests.incrementAndGet();
        Matcher event = DISPATCH_EVENT.matcher(body);
        if (event.find()) {
            receivedAt.putIfAbsent(event.group(1), now);
        }
        // GitHub answers a repository_dispatch with 204 and no body.
        exchange.sendResponseHeaders(204, -1);
        exchange.close();
    }

    /** The use-case-1 example with its API URL and broker swapped for the bench's. */
    private static ObjectNode githubConnector(Path examples, String githubApi, String bootstrap) throws IOException {
        ObjectNode example = (ObjectNode) JSON.readTree(
                Files.readAllBytes(examples.resolve("1-github-submit-for-review.json")));
        ObjectNode config = (ObjectNode) example.get("config");
        config.put("github.api.url", githubApi);
        config.put("state.bootstrap.servers", bootstrap);
        return example;
    }

    /**
     * The use-case-4 example with its URL and broker swapped for the bench's, and its rule split into one rule per
     * channel: an event goes to channel k when its build upload's id ends in {@code -ck}.
     */
    private static ObjectNode slackConnector(Path examples, String slackApi, String bootstrap, int channels)
            throws IOException {
        ObjectNode example = (ObjectNode) JSON.readTree(
                Files.readAllBytes(examples.resolve("4-slack-build-failed-or-rejected.json")));
        ObjectNode config = (ObjectNode) example.get("config");
        String when = config.get("rule.failed.when").asText();
        config.remove("rule.failed.when");
        config.put("slack.api.url", slackApi);
        config.put("state.bootstrap.servers", bootstrap);
        StringBuilder rules = new StringBuilder();
        for (int k = 0; k < channels; k++) {
            String rule = "c" + k;
            rules.append(k == 0 ? "" : ",").append(rule);
            config.put("rule." + rule + ".when", "(" + when + ") && entity.id.endsWith('-c" + k + "')");
            config.put("rule." + rule + ".channel", "#bench-" + k);
        }
        config.put("rules", rules.toString());
        String interval = System.getProperty("bench.rateLimitIntervalMs", "");
        if (!interval.isBlank()) {
            config.put("rate.limit.interval.ms", interval);
        }
        return example;
    }

    private static void createConnector(HttpClient http, DevStack stack, ObjectNode body) throws Exception {
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(stack.connectUrl() + "/connectors"))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        if (created.statusCode() != 201) {
            throw new IllegalStateException("creating the connector: " + created.statusCode() + " " + created.body());
        }
        String status = URI.create(stack.connectUrl() + "/connectors/" + body.get("name").asText() + "/status")
                .toString();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            String answer = http.send(HttpRequest.newBuilder(URI.create(status)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            if (answer.contains("\"tasks\":[{\"id\":0,\"state\":\"RUNNING\"")) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the connector's task did not start within 60 s");
    }

    /** The devstack's build-upload sample (PROCESSING to {@code newState}), as a new delivery for {@code uploadId}. */
    private static byte[] buildUpload(String eventId, String uploadId, String newState) {
        Map<String, Object> instance = new LinkedHashMap<>();
        instance.put("data", Map.of("type", "buildUploads", "id", uploadId));
        instance.put("links", Map.of("self", "https://api.appstoreconnect.apple.com/v1/buildUploads/" + uploadId));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("type", "buildUploadStateUpdated");
        data.put("id", eventId);
        data.put("version", 1);
        data.put("attributes", Map.of("oldState", "PROCESSING", "newState", newState,
                "timestamp", Instant.now().toString()));
        data.put("relationships", Map.of("instance", instance));
        try {
            return JSON.writeValueAsBytes(Map.of("data", data));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void report(int count, int channels) {
        Histogram micros = new Histogram(TimeUnit.MINUTES.toMicros(10), 3);
        int missing = 0;
        for (Map.Entry<String, Long> accepted : acceptedAt.entrySet()) {
            Long received = receivedAt.get(accepted.getKey());
            if (received == null) {
                missing++;
            } else {
                micros.recordValue(Math.max(0, TimeUnit.NANOSECONDS.toMicros(received - accepted.getValue())));
            }
        }
        System.out.printf("result: %d measured webhooks accepted, %d refused, %d never reached the stub, %d stub"
                        + " requests in all%n", acceptedAt.size(), refused.get(), missing, stubRequests.get());
        System.out.printf("latency webhook accepted -> " + (github ? "GitHub dispatch" : "Slack message")
                        + " at the stub (ms): p50 %.1f  p90 %.1f  p99 %.1f  max"
                        + " %.1f  (n=%d)%n", micros.getValueAtPercentile(50) / 1000.0,
                micros.getValueAtPercentile(90) / 1000.0, micros.getValueAtPercentile(99) / 1000.0,
                micros.getMaxValue() / 1000.0, micros.getTotalCount());
        long first = receivedAt.values().stream().mapToLong(Long::longValue).min().orElse(0);
        long last = receivedAt.values().stream().mapToLong(Long::longValue).max().orElse(0);
        System.out.printf("throughput at the stub: %d requests in %.1f s, %.1f/s (the webhooks went out at the set"
                        + " rate)%n", receivedAt.size(), (last - first) / 1e9,
                receivedAt.size() / Math.max((last - first) / 1e9, 1e-3));
        if (!github) {
            long gap = smallestChannelGapNanos.get();
            System.out.printf("channels: %d; smallest gap between two messages to one channel: %s%n", channels,
                    gap == Long.MAX_VALUE ? "n/a" : String.format("%.0f ms", gap / 1e6));
        }
    }
}
