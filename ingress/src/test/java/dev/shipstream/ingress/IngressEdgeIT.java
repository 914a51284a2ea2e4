package dev.shipstream.ingress;

import static dev.shipstream.ingress.TestRequests.appleSignature;
import static dev.shipstream.ingress.TestRequests.expoSignature;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shipstream.ingress.verify.WebhookSecret;
import dev.shipstream.schemas.Topics;
import dev.shipstream.testsupport.KafkaPlatform;
import dev.shipstream.testsupport.KafkaPlatformExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The HTTP edge against a real KRaft broker: what cannot be authenticated is refused before its body is read (also
 * when the client asks {@code Expect: 100-continue}, which is then never answered with 100), and the bounds on
 * connections and on bytes buffered across requests answer 503 with {@code Retry-After} before reading a body.
 * Requests go over plain sockets so that a test can stop after the headers, as an attacker would.
 */
@ExtendWith(KafkaPlatformExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IngressEdgeIT {

    private static final String ASC_SECRET = "canary-edge-asc-5e1f9b";
    private static final String EAS_SECRET = "canary-edge-eas-0c7d2a8e";
    private static final String APPFLOW_TOKEN = "qT7vX2mB9kLw4RzE8nYp3HsJ6dFa1CuG";
    private static final int MAX_CONNECTIONS = 4;
    private static final long MAX_BUFFERED = 300 * 1024;
    /** Under the 256 KiB default body limit, so only authentication or the bounds can refuse it. */
    private static final int LARGE = 200 * 1024;

    private IngressServer server;

    @BeforeAll
    void start(KafkaPlatform platform) {
        platform.createTopic(Topics.WEBHOOKS_RAW.name(), Topics.WEBHOOKS_RAW.partitions());
        Map<WebhookSource, Long> limits = new EnumMap<>(WebhookSource.class);
        for (WebhookSource source : WebhookSource.values()) {
            limits.put(source, IngressConfig.DEFAULT_BODY_LIMIT_BYTES);
        }
        IngressConfig config = new IngressConfig("127.0.0.1", 0, 1, limits, Duration.ofSeconds(10),
                Duration.ofSeconds(10), Duration.ofSeconds(5), 1000, platform.bootstrapServers(),
                platform.schemaRegistryUrl(), Map.of(), true, List.of(
                new EndpointConfig(WebhookSource.APP_STORE_CONNECT, "default",
                        List.of(WebhookSecret.of("v1", ASC_SECRET)), List.of()),
                new EndpointConfig(WebhookSource.EAS, "default", List.of(WebhookSecret.of("v1", EAS_SECRET)), List.of()),
                new EndpointConfig(WebhookSource.APPFLOW, "default", List.of(WebhookSecret.of("v1", APPFLOW_TOKEN)),
                        List.of())),
                EdgeConfig.DEFAULTS.withBounds(MAX_CONNECTIONS, MAX_BUFFERED), IngressConfig.DEFAULT_NATIVE_TRANSPORT);
        server = IngressServer.start(config, Map.of());
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void noConnectionsLeftOver() {
        await().atMost(Duration.ofSeconds(10)).until(() -> gauge("shipstream.ingress.connections") == 0);
    }

    private double gauge(String name) {
        return server.meterRegistry().get(name).gauge().value();
    }

    private static String head(String path, long contentLength, String... headers) {
        StringBuilder head = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + contentLength + "\r\n");
        for (int i = 0; i < headers.length; i += 2) {
            head.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
        }
        return head.append("\r\n").toString();
    }

    /** A signed-looking App Store Connect body of exactly {@code size} bytes. */
    private static byte[] ascBody(int size) {
        String start = "{\"data\":{\"type\":\"buildUploadStateUpdated\",\"id\":\"edge-1\",\"pad\":\"";
        String end = "\"}}";
        return (start + "x".repeat(size - start.length() - end.length()) + end).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void refusesUnauthenticatedBodiesWithoutReadingThemEvenWhenAskedToContinue() {
        List<String[]> unauthenticated = List.of(
                new String[] {"/webhooks/appflow/default"},
                new String[] {"/webhooks/appflow/default?token=not-the-token"},
                new String[] {"/webhooks/app-store-connect/default"},
                new String[] {"/webhooks/app-store-connect/default", "x-apple-signature", "hmacsha256=zz"},
                new String[] {"/webhooks/eas/default", "expo-signature", "sha256=" + "0".repeat(40)});
        for (String[] request : unauthenticated) {
            String[] headers = new String[request.length + 1];
            System.arraycopy(request, 1, headers, 0, request.length - 1);
            headers[request.length - 1] = "Expect";
            headers[request.length] = "100-continue";
            try (RawHttp connection = new RawHttp(server.port())) {
                // Headers only: a server that waited for the body, or invited it with 100, would never answer.
                connection.send(head(request[0], LARGE, headers));

                String response = connection.readResponse();

                assertThat(response).as(request[0]).startsWith("HTTP/1.1 401 ").doesNotContain("100 Continue")
                        .containsIgnoringCase("connection: close");
                assertThat(connection.closedByServer()).as(request[0]).isTrue();
            }
        }
        assertThat(gauge("shipstream.ingress.buffered.bytes")).isZero();
    }

    @Test
    void refusesAnUnauthenticatedBodyWithoutWaitingForIt() {
        try (RawHttp connection = new RawHttp(server.port())) {
            connection.send(head("/webhooks/appflow/default", LARGE)).send(new byte[1024]);

            assertThat(connection.readResponse()).startsWith("HTTP/1.1 401 ");
        }
    }

    @Test
    void refusesADeclaredLengthOverTheSourceLimitBeforeTheBody() {
        try (RawHttp connection = new RawHttp(server.port())) {
            connection.send(head("/webhooks/app-store-connect/default", 1024 * 1024,
                    "x-apple-signature", "hmacsha256=" + "0".repeat(64), "Expect", "100-continue"));

            assertThat(connection.readResponse()).startsWith("HTTP/1.1 413 ");
            assertThat(connection.closedByServer()).isTrue();
        }
    }

    @Test
    void boundsBytesBufferedAcrossRequestsWith503BeforeReadingTheBody() {
        byte[] body = ascBody(LARGE);
        String signature = appleSignature(ASC_SECRET, body);
        try (RawHttp first = new RawHttp(server.port())) {
            first.send(head("/webhooks/app-store-connect/default", body.length,
                    "x-apple-signature", signature, "Expect", "100-continue"));
            assertThat(first.readResponse()).startsWith("HTTP/1.1 100 ");
            assertThat(gauge("shipstream.ingress.buffered.bytes")).isEqualTo(body.length);

            try (RawHttp second = new RawHttp(server.port())) {
                second.send(head("/webhooks/app-store-connect/default", body.length,
                        "x-apple-signature", signature, "Expect", "100-continue"));
                String refused = second.readResponse();
                assertThat(refused).startsWith("HTTP/1.1 503 ").containsIgnoringCase("retry-after: 5");
                assertThat(second.closedByServer()).isTrue();
            }

            first.send(body);
            assertThat(first.readResponse()).startsWith("HTTP/1.1 200 ");
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> gauge("shipstream.ingress.buffered.bytes") == 0);
        try (RawHttp third = new RawHttp(server.port())) {
            third.send(head("/webhooks/app-store-connect/default", body.length,
                    "x-apple-signature", signature, "Expect", "100-continue"));
            assertThat(third.readResponse()).startsWith("HTTP/1.1 100 ");
        }
    }

    @Test
    void connectionsBeyondTheBoundAre503WithRetryAfter() {
        List<RawHttp> idle = new ArrayList<>();
        try {
            for (int i = 0; i < MAX_CONNECTIONS; i++) {
                idle.add(new RawHttp(server.port()));
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> gauge("shipstream.ingress.connections") == MAX_CONNECTIONS);
            byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
            try (RawHttp beyond = new RawHttp(server.port())) {
                beyond.send(head("/webhooks/eas/default", body.length, "expo-signature", expoSignature(EAS_SECRET, body),
                        "Expect", "100-continue"));

                assertThat(beyond.readResponse()).startsWith("HTTP/1.1 503 ").containsIgnoringCase("retry-after: 5");
                assertThat(beyond.closedByServer()).isTrue();
            }
            idle.remove(0).close();
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> gauge("shipstream.ingress.connections") == MAX_CONNECTIONS - 1);
            try (RawHttp admitted = new RawHttp(server.port())) {
                admitted.send(head("/webhooks/eas/default", body.length, "expo-signature",
                        expoSignature(EAS_SECRET, body), "Expect", "100-continue"));

                assertThat(admitted.readResponse()).startsWith("HTTP/1.1 100 ");
            }
        } finally {
            idle.forEach(RawHttp::close);
        }
    }
}
