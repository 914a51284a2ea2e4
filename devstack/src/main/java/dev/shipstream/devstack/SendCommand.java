package dev.shipstream.devstack;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code ./shipstream send}: plays a provider against the running devstack. Sends a named sample
 * ({@code send asc ping}), any file ({@code send --source eas --file payload.json}) or a scenario
 * ({@code send --scenario release}), signed with the secrets the devstack wrote to its data directory
 * ({@link StackConnection}), to the {@code default} endpoint of the source.
 *
 * <p>First waits, at most {@code --wait} seconds, for a devstack to run on the data directory and for the ingress to
 * answer {@code /health/ready}, so {@code ./shipstream dev & ./shipstream send asc ping} works as typed. Prints the
 * HTTP answer and the request id of each request. App Store Connect samples get a new event id ({@code data.id}) and
 * the current time on each send, so sending one twice shows two events instead of one deduplicated; a file is sent
 * byte for byte. Never prints a secret or a signature.
 *
 * <p>Exit status: 0 every request accepted, 1 a request refused or nothing answering (one line on stderr says which),
 * 2 a bad command line.
 */
public final class SendCommand {

    static final String USAGE = """
            Usage: ./shipstream send SOURCE NAME              a named sample, e.g. send asc ping
                   ./shipstream send --source SOURCE --file F  any body, sent byte for byte
                   ./shipstream send --scenario release        a release replayed: upload, review, rejection,
                                                               resubmission, release
                   ./shipstream send --list                    the samples and scenarios
            Options:
              --data-dir DIR   the devstack's data directory (default ./.shipstream)
              --wait S         wait at most S seconds for the devstack to be ready (default 60)
              --pace MS        milliseconds between the steps of a scenario (default 1000)
            SOURCE is asc (App Store Connect), eas (Expo EAS) or appflow (Ionic Appflow).""";

    static final int DEFAULT_WAIT_SECONDS = 60;
    static final int DEFAULT_PACE_MILLIS = 1_000;
    private static final Duration POLL = Duration.ofMillis(250);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The parsed command line: exactly one of a sample, a file, a scenario or the list.
     *
     * @param dataDir     the devstack's data directory
     * @param source      the source of the sample or file
     * @param sample      the sample's name, or null
     * @param file        the file to send, or null
     * @param scenario    the scenario's name, or null
     * @param list        print the samples
     * @param readyWait   how long to wait for the devstack
     * @param paceMillis  the pause between a scenario's steps
     */
    record Options(Path dataDir, String source, String sample, Path file, String scenario, boolean list,
                   Duration readyWait, int paceMillis) {

        static Options parse(List<String> args) {
            Path dataDir = Path.of(".shipstream");
            String source = null;
            Path file = null;
            String scenario = null;
            boolean list = false;
            int waitSeconds = DEFAULT_WAIT_SECONDS;
            int pace = DEFAULT_PACE_MILLIS;
            List<String> positional = new ArrayList<>();
            for (int i = 0; i < args.size(); i++) {
                String arg = args.get(i);
                switch (arg) {
                    case "--list" -> list = true;
                    case "--data-dir" -> dataDir = Path.of(value(args, ++i, arg));
                    case "--source" -> source = value(args, ++i, arg);
                    case "--file" -> file = Path.of(value(args, ++i, arg));
                    case "--scenario" -> scenario = value(args, ++i, arg);
                    case "--wait" -> waitSeconds = number(value(args, ++i, arg), arg, 0, 3_600);
                    case "--pace" -> pace = number(value(args, ++i, arg), arg, 0, 600_000);
                    default -> {
                        if (arg.startsWith("--")) {
                            throw new IllegalArgumentException("unknown option '" + arg + "'");
                        }
                        positional.add(arg);
                    }
                }
            }
            String sample = null;
            if (!positional.isEmpty()) {
                if (positional.size() != 2 || source != null) {
                    throw new IllegalArgumentException("a sample is named by SOURCE NAME, e.g. 'send asc ping'");
                }
                source = positional.get(0);
                sample = positional.get(1);
            }
            int chosen = (sample != null ? 1 : 0) + (file != null ? 1 : 0) + (scenario != null ? 1 : 0) + (list ? 1 : 0);
            if (chosen != 1) {
                throw new IllegalArgumentException("say what to send: SOURCE NAME, --source S --file F, --scenario"
                        + " NAME or --list (one of them)");
            }
            if (file != null && source == null) {
                throw new IllegalArgumentException("--file needs --source (asc, eas or appflow)");
            }
            if (source != null) {
                WebhookSigning.pathSegment(source);
            }
            if (sample != null && Samples.find(source, sample).isEmpty()) {
                throw new IllegalArgumentException("no sample '" + source + " " + sample
                        + "'; ./shipstream send --list shows them");
            }
            if (scenario != null && !Samples.SCENARIOS.contains(scenario)) {
                throw new IllegalArgumentException("no scenario '" + scenario + "'; one of " + Samples.SCENARIOS);
            }
            return new Options(dataDir, source, sample, file, scenario, list, Duration.ofSeconds(waitSeconds), pace);
        }

        private static String value(List<String> args, int index, String option) {
            if (index >= args.size() || args.get(index).startsWith("--")) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args.get(index);
        }

        private static int number(String text, String option, int min, int max) {
            try {
                int value = Integer.parseInt(text);
                if (value < min || value > max) {
                    throw new IllegalArgumentException(option + " must be between " + min + " and " + max
                            + ", was " + text);
                }
                return value;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + " must be a number, was '" + text + "'", e);
            }
        }
    }

    /** A failure the user can act on; its message is the one line printed. */
    static final class SendFailure extends RuntimeException {
        SendFailure(String message) {
            super(message);
        }
    }

    private final Options options;
    private final PrintStream out;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    SendCommand(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public static void main(String[] args) {
        System.exit(run(Arrays.asList(args), System.out, System.err));
    }

    /**
     * Runs one command line.
     *
     * @return the exit status: 0 accepted, 1 refused or unreachable, 2 bad command line
     */
    static int run(List<String> args, PrintStream out, PrintStream err) {
        CommandLine<Options> line = CommandLine.parse(args, "send", USAGE, Options::parse, out, err);
        if (!line.runs()) {
            return line.exitStatus();
        }
        Options options = line.options();
        if (options.list()) {
            out.print(Samples.list());
            return 0;
        }
        try {
            new SendCommand(options, out).execute();
            return 0;
        } catch (RuntimeException e) {
            err.println("shipstream send: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("shipstream send: interrupted");
            return 1;
        }
    }

    void execute() throws InterruptedException {
        StackConnection stack = awaitReady();
        if (options.scenario() != null) {
            List<Samples.Sample> steps = Samples.RELEASE;
            for (int i = 0; i < steps.size(); i++) {
                if (i > 0 && options.paceMillis() > 0) {
                    // The compressed timing of the scenario: a pause between the steps, not a wait for anything.
                    Thread.sleep(options.paceMillis());
                }
                Samples.Sample step = steps.get(i);
                out.printf("[%d/%d] ", i + 1, steps.size());
                send(stack, step.source(), step.source() + " " + step.name(), fresh(step));
            }
            return;
        }
        if (options.file() != null) {
            byte[] body;
            try {
                body = Files.readAllBytes(options.file());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + options.file() + ": " + e.getMessage(), e);
            }
            send(stack, options.source(), options.file().toString(), body);
            return;
        }
        Samples.Sample sample = Samples.find(options.source(), options.sample()).orElseThrow();
        send(stack, sample.source(), sample.source() + " " + sample.name(), fresh(sample));
    }

    /** Waits until a devstack runs on the data directory and its ingress is ready, or fails with what was missing. */
    private StackConnection awaitReady() throws InterruptedException {
        long deadline = System.nanoTime() + options.readyWait().toNanos();
        String missing;
        do {
            Optional<StackConnection> stack = StackConnection.read(options.dataDir());
            if (stack.isEmpty()) {
                missing = "no devstack runs on " + options.dataDir().toAbsolutePath().normalize()
                        + " (no " + StackConnection.FILE_NAME + "); start one with ./shipstream dev or pass --data-dir";
            } else {
                String ready = stack.get().ingressUrl() + "/health/ready";
                try {
                    HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(ready))
                            .timeout(REQUEST_TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofString());
                    if (answer.statusCode() == 200) {
                        return stack.get();
                    }
                    missing = "the ingress at " + stack.get().ingressUrl() + " is not ready (" + ready + " answers "
                            + answer.statusCode() + ")";
                } catch (ConnectException e) {
                    missing = "nothing listens at " + stack.get().ingressUrl() + "; is ./shipstream dev running on "
                            + options.dataDir() + "?";
                } catch (IOException e) {
                    missing = "the ingress at " + stack.get().ingressUrl() + " did not answer: " + e;
                }
            }
            if (System.nanoTime() - deadline >= 0) {
                break;
            }
            Thread.sleep(POLL.toMillis());
        } while (true);
        throw new SendFailure(missing + (options.readyWait().isZero() ? "" : " (waited " + options.readyWait().toSeconds()
                + " s; --wait changes that)"));
    }

    private void send(StackConnection stack, String source, String what, byte[] body) throws InterruptedException {
        URI uri = URI.create(stack.ingressUrl() + "/webhooks/" + WebhookSigning.pathSegment(source) + "/default");
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        WebhookSigning.headers(source, stack.secrets(), body).forEach(request::header);
        HttpResponse<String> answer;
        try {
            answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new SendFailure("nothing listens at " + stack.ingressUrl() + "; is ./shipstream dev running on "
                    + options.dataDir() + "?");
        } catch (IOException e) {
            throw new SendFailure("sending " + what + " to " + uri + " failed: " + e);
        }
        String requestId = answer.headers().firstValue("X-Request-Id").orElse("-");
        out.printf("%s (%d bytes) -> POST %s%n", what, body.length, uri);
        out.printf("  %d %s%n", answer.statusCode(), answer.body());
        out.printf("  request id %s%n", requestId);
        out.flush();
        if (answer.statusCode() == 401) {
            throw new SendFailure("the ingress refused the signature (401): the secrets in "
                    + StackConnection.file(options.dataDir()) + " are not the ones the ingress at "
                    + stack.ingressUrl() + " uses; restart ./shipstream dev");
        }
        if (answer.statusCode() / 100 != 2) {
            throw new SendFailure("the ingress answered " + answer.statusCode() + " " + answer.body()
                    + " to " + what + " (request id " + requestId + ")");
        }
    }

    /**
     * The sample's body; an App Store Connect one with a new event id and the current time, since the pipeline
     * drops a repeated event id as a duplicate.
     */
    static byte[] fresh(Samples.Sample sample) {
        byte[] body = sample.body();
        if (!sample.source().equals("asc")) {
            return body;
        }
        try {
            JsonNode root = JSON.readTree(body);
            if (root.get("data") instanceof ObjectNode data) {
                data.put("id", UUID.randomUUID().toString());
                if (data.get("attributes") instanceof ObjectNode attributes && attributes.has("timestamp")) {
                    attributes.put("timestamp", Instant.now().toString());
                }
            }
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root).getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("the sample " + sample.source() + " " + sample.name()
                    + " is not JSON", e);
        }
    }
}
