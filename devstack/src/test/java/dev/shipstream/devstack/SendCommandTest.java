package dev.shipstream.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shipstream.ingress.verify.AppStoreConnectVerifier;
import dev.shipstream.ingress.verify.EasVerifier;
import dev.shipstream.ingress.verify.SignedRequest;
import dev.shipstream.ingress.verify.Verification;
import dev.shipstream.ingress.verify.WebhookSecret;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./shipstream send} without a devstack: its command line, its signatures, its samples, its failures. */
class SendCommandTest {

    /** RFC 2104 style vector, as published for HMAC-SHA256 and HMAC-SHA1 (e.g. Wikipedia's "HMAC" examples). */
    private static final byte[] FOX = "The quick brown fox jumps over the lazy dog".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dataDir;

    @Test
    void parsesANamedSample() {
        SendCommand.Options options = SendCommand.Options.parse(List.of("asc", "build-upload-failed"));

        assertThat(options.source()).isEqualTo("asc");
        assertThat(options.sample()).isEqualTo("build-upload-failed");
        assertThat(options.dataDir()).isEqualTo(Path.of(".shipstream"));
        assertThat(options.readyWait().toSeconds()).isEqualTo(SendCommand.DEFAULT_WAIT_SECONDS);
    }

    @Test
    void parsesAFileAScenarioAndTheirOptions() {
        SendCommand.Options file = SendCommand.Options.parse(List.of("--source", "eas", "--file", "p.json",
                "--data-dir", "/tmp/x", "--wait", "5"));
        SendCommand.Options scenario = SendCommand.Options.parse(List.of("--scenario", "release", "--pace", "0"));

        assertThat(file.file()).isEqualTo(Path.of("p.json"));
        assertThat(file.source()).isEqualTo("eas");
        assertThat(file.dataDir()).isEqualTo(Path.of("/tmp/x"));
        assertThat(file.readyWait().toSeconds()).isEqualTo(5);
        assertThat(scenario.scenario()).isEqualTo("release");
        assertThat(scenario.paceMillis()).isZero();
    }

    @Test
    void refusesCommandLinesThatSayNothingOrTooMuchOrNameNoSample() {
        assertThatThrownBy(() -> SendCommand.Options.parse(List.of()))
                .hasMessageContaining("say what to send");
        assertThatThrownBy(() -> SendCommand.Options.parse(List.of("asc", "ping", "--scenario", "release")))
                .hasMessageContaining("one of them");
        assertThatThrownBy(() -> SendCommand.Options.parse(List.of("--file", "p.json")))
                .hasMessage("--file needs --source (asc, eas or appflow)");
        assertThatThrownBy(() -> SendCommand.Options.parse(List.of("asc", "no-such-state")))
                .hasMessageContaining("no sample 'asc no-such-state'");
        assertThatThrownBy(() -> SendCommand.Options.parse(List.of("github", "push")))
                .hasMessageContaining("unknown source 'github'");
        assertThatThrownBy(() -> SendCommand.Options.parse(List.of("--scenario", "outage")))
                .hasMessageContaining("no scenario 'outage'");
        assertThatThrownBy(() -> SendCommand.Options.parse(List.of("asc", "ping", "--wait")))
                .hasMessage("--wait needs a value");
    }

    @Test
    void signsAppStoreConnectBodiesWithTheKnownHmacSha256AndTheIngressAcceptsIt() {
        Map<String, String> headers = WebhookSigning.headers("asc", Map.of("SHIPSTREAM_ASC_SECRET", "key"), FOX);

        assertThat(headers).containsExactly(Map.entry("x-apple-signature",
                "hmacsha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8"));
        Verification verdict = new AppStoreConnectVerifier(List.of(WebhookSecret.of("default", "key")))
                .verify(request(headers, FOX));
        assertThat(verdict).isInstanceOf(Verification.Accepted.class);
    }

    @Test
    void signsEasBodiesWithTheKnownHmacSha1AndTheIngressAcceptsIt() {
        assertThat(WebhookSigning.headers("eas", Map.of("SHIPSTREAM_EAS_SECRET", "key"), FOX))
                .containsExactly(Map.entry("expo-signature", "sha1=de7c9b85b8b78aa6bc8a7a36f70a90701c9db4d9"));

        String secret = "sixteen-chars-or-more";
        Map<String, String> headers = WebhookSigning.headers("eas", Map.of("SHIPSTREAM_EAS_SECRET", secret), FOX);
        Verification verdict = new EasVerifier(List.of(WebhookSecret.of("default", secret)))
                .verify(request(headers, FOX));
        assertThat(verdict).isInstanceOf(Verification.Accepted.class);
    }

    @Test
    void sendsTheAppflowTokenAsABearerToken() {
        assertThat(WebhookSigning.headers("appflow", Map.of("SHIPSTREAM_APPFLOW_TOKEN", "t0ken"), FOX))
                .containsExactly(Map.entry("authorization", "Bearer t0ken"));
    }

    @Test
    void everySampleIsJsonAndTheReleaseScenarioRunsFromUploadToDistribution() throws IOException {
        ObjectMapper json = new ObjectMapper();
        for (Samples.Sample sample : Samples.ALL) {
            assertThat(json.readTree(sample.body())).as(sample.toString()).isNotNull();
        }
        assertThat(Samples.RELEASE).extracting(Samples.Sample::name)
                .startsWith("build-upload-complete").contains("rejected", "resubmitted")
                .endsWith("ready-for-distribution");
        assertThat(Samples.list()).contains("asc      ping").contains("eas      build-errored")
                .contains("appflow  build-success").contains("release");
    }

    @Test
    void givesAnAppStoreConnectSampleANewEventIdEachTime() throws IOException {
        Samples.Sample ping = Samples.find("asc", "ping").orElseThrow();
        ObjectMapper json = new ObjectMapper();

        JsonNode first = json.readTree(SendCommand.fresh(ping));
        JsonNode second = json.readTree(SendCommand.fresh(ping));

        assertThat(first.at("/data/type").asText()).isEqualTo("webhookPingCreated");
        assertThat(first.at("/data/id").asText()).isNotEqualTo(second.at("/data/id").asText());
    }

    @Test
    void writesTheConnectionFileOwnerOnlyAndReadsItBack() throws IOException {
        StackConnection written = new StackConnection("http://127.0.0.1:1", "127.0.0.1:2", "http://127.0.0.1:3",
                Map.of("SHIPSTREAM_ASC_SECRET", "a-secret", "SHIPSTREAM_EAS_SECRET", "another-secret-value"));

        written.write(dataDir);

        assertThat(Files.getPosixFilePermissions(StackConnection.file(dataDir)))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(StackConnection.read(dataDir)).contains(written);
        assertThat(written.toString()).doesNotContain("a-secret").doesNotContain("another-secret-value");
        StackConnection.delete(dataDir);
        assertThat(StackConnection.read(dataDir)).isEmpty();
    }

    @Test
    void saysInOneLineThatNoDevstackRunsOnTheDataDirectory() {
        Result result = send("asc", "ping", "--data-dir", dataDir.toString(), "--wait", "0");

        assertThat(result.status()).isEqualTo(1);
        assertThat(result.err()).startsWith("shipstream send: no devstack runs on " + dataDir)
                .contains("./shipstream dev").hasLineCount(1);
    }

    @Test
    void saysInOneLineThatNothingListensWhereTheDevstackWas() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        new StackConnection("http://127.0.0.1:" + closedPort, "127.0.0.1:1", "http://127.0.0.1:1",
                Map.of("SHIPSTREAM_ASC_SECRET", "s")).write(dataDir);

        Result result = send("asc", "ping", "--data-dir", dataDir.toString(), "--wait", "0");

        assertThat(result.status()).isEqualTo(1);
        assertThat(result.err()).startsWith("shipstream send: nothing listens at http://127.0.0.1:" + closedPort)
                .hasLineCount(1);
    }

    @Test
    void answersHelpAndListWithoutADevstack() {
        assertThat(send("--help").out()).contains("Usage: ./shipstream send SOURCE NAME");
        Result list = send("--list");
        assertThat(list.status()).isZero();
        assertThat(list.out()).contains("build-upload-failed");
        assertThat(send("asc").status()).isEqualTo(2);
    }

    private static Result send(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = SendCommand.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    record Result(int status, String out, String err) {
    }

    private static SignedRequest request(Map<String, String> headers, byte[] body) {
        return new SignedRequest() {
            @Override
            public Optional<String> header(String name) {
                return Optional.ofNullable(headers.get(name));
            }

            @Override
            public int headerCount(String name) {
                return headers.containsKey(name) ? 1 : 0;
            }

            @Override
            public Optional<String> queryParameter(String name) {
                return Optional.empty();
            }

            @Override
            public String remoteAddress() {
                return "127.0.0.1";
            }

            @Override
            public byte[] body() {
                return body;
            }
        };
    }
}
