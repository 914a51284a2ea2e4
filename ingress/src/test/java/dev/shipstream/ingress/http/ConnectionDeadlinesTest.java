package dev.shipstream.ingress.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shipstream.ingress.IngressConfig;
import dev.shipstream.ingress.IngressServer;
import dev.shipstream.ingress.TestRequests;
import dev.shipstream.ingress.publish.RawWebhookPublisher;
import dev.shipstream.schemas.RawWebhook;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Slow senders (slowloris) lose their connection at the absolute deadline; others keep being served. */
class ConnectionDeadlinesTest {

    private static final Duration DEADLINE = Duration.ofMillis(400);
    private static final Duration GRACE = Duration.ofMillis(1500);

    private Vertx vertx;
    private IngressServer server;

    /** Acknowledges every record at once. */
    private static final class InstantPublisher implements RawWebhookPublisher {
        @Override
        public Future<Void> start() {
            return Future.succeededFuture();
        }

        @Override
        public Future<Void> publish(String key, RawWebhook record) {
            return Future.succeededFuture();
        }

        @Override
        public Future<Boolean> ready() {
            return Future.succeededFuture(true);
        }

        @Override
        public Future<Void> close(Duration timeout) {
            return Future.succeededFuture();
        }
    }

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        IngressConfig config = WebhookHandlerTest.config().withDeadlines(DEADLINE, DEADLINE);
        server = IngressServer.start(vertx, config, new InstantPublisher()).toCompletionStage().toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        server.shutdown().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Test
    void closesAConnectionThatDribblesItsHeaders() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout((int) (DEADLINE.plus(GRACE).toMillis() * 2));
            OutputStream out = socket.getOutputStream();
            long start = System.nanoTime();
            out.write("POST /webhooks/app-store-connect/default HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();

            Duration closedAfter = awaitClosed(socket.getInputStream(), start);

            assertThat(closedAfter).isGreaterThanOrEqualTo(DEADLINE).isLessThan(DEADLINE.plus(GRACE));
        }
    }

    @Test
    void closesAConnectionThatDribblesItsBody() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout((int) (DEADLINE.plus(GRACE).toMillis() * 2));
            OutputStream out = socket.getOutputStream();
            long start = System.nanoTime();
            out.write(("POST /webhooks/app-store-connect/default HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n"
                    + "{\"data\":").getBytes(StandardCharsets.US_ASCII));
            out.flush();

            Duration closedAfter = awaitClosed(socket.getInputStream(), start);

            assertThat(closedAfter).isGreaterThanOrEqualTo(DEADLINE).isLessThan(DEADLINE.plus(GRACE));
        }
    }

    @Test
    void servesOtherClientsWhileASlowOneWaits() throws IOException {
        try (Socket slow = new Socket("127.0.0.1", server.port())) {
            slow.getOutputStream().write("POST /webhooks/eas/default HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
            slow.getOutputStream().flush();

            assertThat(TestRequests.send(TestRequests.get(server.port(), "/health/live")).statusCode()).isEqualTo(200);
        }
    }

    /** Reads until the server closes the connection; returns how long after {@code start} that happened. */
    private static Duration awaitClosed(InputStream in, long start) throws IOException {
        try {
            while (in.read() != -1) {
                // A 408 or any other bytes the server sends before closing are fine; the close is what counts.
                continue;
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server kept a slow connection open", e);
        } catch (IOException e) {
            // A reset is a close too.
            return Duration.ofNanos(System.nanoTime() - start);
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
