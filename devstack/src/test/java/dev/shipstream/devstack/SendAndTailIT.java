package dev.shipstream.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./shipstream send} and {@code tail} against a real devstack (in-JVM KRaft broker, dev registry, ingress,
 * streams app), as a newcomer uses them: a sample sent, its decoded event seen; a signed but malformed body traced
 * through its dead letter to the request id {@code send} printed; a refused signature reported in one line.
 */
class SendAndTailIT {

    private static final Pattern REQUEST_ID = Pattern.compile("request id ([0-9a-f-]{36})");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDir;

    private DevStack stack;

    @BeforeEach
    void startDevstack() {
        stack = DevStack.start(new DevStackOptions(dataDir, false, 0, 0, 0, 0, 0, dataDir.resolve("no-plugins")), Map.of());
    }

    @AfterEach
    void stopDevstack() {
        stack.close();
    }

    @Test
    void aSentPingIsAcceptedAndTailShowsItsDecodedEvent() throws IOException {
        Result sent = run(SendCommand::run, "asc", "ping", "--data-dir", dataDir.toString());

        assertThat(sent.status()).as(sent.err()).isZero();
        assertThat(sent.out()).contains("  200 {\"accepted\":true,\"id\":\"");
        String requestId = requestId(sent.out());

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            Result events = run(TailCommand::run, "events", "--from-beginning", "--data-dir", dataDir.toString());
            assertThat(events.status()).as(events.err()).isZero();
            assertThat(events.out()).contains("webhookPingCreated");
        });
        Result raw = run(TailCommand::run, "raw", "--data-dir", dataDir.toString());
        JsonNode line = JSON.readTree(raw.out().lines().reduce((a, b) -> b).orElseThrow());
        assertThat(line.at("/value/requestId").asText()).isEqualTo(requestId);
        assertThat(line.at("/value/body").asText()).contains("webhookPingCreated");
        assertThat(line.at("/value/signature").asText()).isEqualTo(TailCommand.REDACTED);
        assertThat(raw.out()).doesNotContain("hmacsha256=");
    }

    @Test
    void aSignedMalformedBodyIsSeenViaTailDeadletterWithItsRequestIdAndBody() throws IOException {
        Path malformed = dataDir.resolveSibling(dataDir.getFileName() + "-malformed.json");
        Files.writeString(malformed, "{\"data\": {\"type\": \"buildUploadStateUpdated\", \"id\": ");

        Result sent = run(SendCommand::run, "--source", "asc", "--file", malformed.toString(),
                "--data-dir", dataDir.toString());

        assertThat(sent.status()).as(sent.err()).isZero();
        String requestId = requestId(sent.out());
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            Result letters = run(TailCommand::run, "deadletter", "--data-dir", dataDir.toString());
            assertThat(letters.status()).as(letters.err()).isZero();
            JsonNode line = JSON.readTree(letters.out().lines().reduce((a, b) -> b).orElse("{}"));
            assertThat(line.path("requestId").asText()).isEqualTo(requestId);
            // Carried by the dead letter itself (DeadLetter v3), not only recovered from the original raw record.
            assertThat(line.at("/value/requestId").asText()).isEqualTo(requestId);
            assertThat(line.path("reason").asText()).isEqualTo("UNPARSEABLE_PAYLOAD");
            assertThat(line.path("originalBody").asText()).startsWith("{\"data\": {\"type\": \"buildUploadStateUpdated\"");
            assertThat(line.at("/value/originalValue/bytes").asInt()).isPositive();
            assertThat(letters.out()).doesNotContain("hmacsha256=").doesNotContain("base64");
        });
    }

    @Test
    void theBannerEndsWithNextStepsNamingSendAndTailAndNamesTheSecretsFile() {
        String banner = stack.banner();

        String nextSteps = banner.substring(banner.indexOf("Next steps:"));
        assertThat(nextSteps).contains("./shipstream send asc ping").contains("./shipstream tail events");
        assertThat(nextSteps.lines().toList().get(nextSteps.lines().toList().size() - 1)).contains("./shipstream tail");
        assertThat(banner).contains(StackConnection.file(dataDir.toAbsolutePath().normalize()).toString());
    }

    @Test
    void aRefusedSignatureIsReportedInOneLineAndExitsNonZero() {
        StackConnection running = StackConnection.read(dataDir).orElseThrow();
        new StackConnection(running.ingressUrl(), running.bootstrap(), running.registryUrl(),
                Map.of("SHIPSTREAM_ASC_SECRET", "not-the-secret-the-ingress-has")).write(dataDir);

        Result sent = run(SendCommand::run, "asc", "ping", "--data-dir", dataDir.toString());

        assertThat(sent.status()).isEqualTo(1);
        assertThat(sent.out()).contains("  401 {\"error\":\"unauthorized\"}");
        assertThat(sent.err()).startsWith("shipstream send: the ingress refused the signature (401)").hasLineCount(1);
    }

    @Test
    void theReleaseScenarioIsAcceptedStepByStep() {
        Result sent = run(SendCommand::run, "--scenario", "release", "--pace", "0", "--data-dir", dataDir.toString());

        assertThat(sent.status()).as(sent.err()).isZero();
        assertThat(sent.out()).contains("[1/9] asc build-upload-complete").contains("[5/9] asc rejected")
                .contains("[9/9] asc ready-for-distribution");
        assertThat(REQUEST_ID.matcher(sent.out()).results().count()).isEqualTo(9);
    }

    private static String requestId(String out) {
        Matcher matcher = REQUEST_ID.matcher(out);
        assertThat(matcher.find()).as(out).isTrue();
        return matcher.group(1);
    }

    @FunctionalInterface
    interface Command {
        int run(List<String> args, PrintStream out, PrintStream err);
    }

    private static Result run(Command command, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = command.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    record Result(int status, String out, String err) {
    }
}
