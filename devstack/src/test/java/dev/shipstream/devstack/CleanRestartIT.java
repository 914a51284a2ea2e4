package dev.shipstream.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A clean stop leaves state the next start on the same data directory reuses: no {@code TaskCorruptedException}
 * (which under exactly-once wipes and restores every state store) in the log of the restart.
 */
class CleanRestartIT {

    private static final String CORRUPTED = "TaskCorruptedException";

    @TempDir
    Path dataDir;

    private final List<String> corruptions = new CopyOnWriteArrayList<>();
    private AbstractAppender capture;

    @BeforeEach
    void captureTheLog() {
        capture = new AbstractAppender("clean-restart-capture", null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                String message = event.getMessage().getFormattedMessage();
                Throwable thrown = event.getThrown();
                String text = message + (thrown == null ? "" : " " + thrown);
                // Only what matters here is kept, so the list stays small however chatty the broker is.
                if (text.contains(CORRUPTED) && corruptions.size() < 100) {
                    corruptions.add(event.getLoggerName() + ": " + text);
                }
            }
        };
        capture.start();
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        context.getConfiguration().getRootLogger().addAppender(capture, null, null);
        context.updateLoggers();
    }

    @AfterEach
    void stopCapturing() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        context.getConfiguration().getRootLogger().removeAppender(capture.getName());
        context.updateLoggers();
        capture.stop();
    }

    @Test
    void aRestartAfterACleanStopFindsNoCorruptedTask() {
        try (DevStack first = start()) {
            sendPingAndSeeIt(1);
        }
        assertThat(corruptions).as("the first start and its clean stop").isEmpty();

        try (DevStack second = start()) {
            sendPingAndSeeIt(2);
        }
        assertThat(corruptions).as("the restart on the same data directory").isEmpty();
    }

    private DevStack start() {
        return DevStack.start(new DevStackOptions(dataDir, false, 0, 0, 0, 0), Map.of());
    }

    private void sendPingAndSeeIt(int expectedPings) {
        assertThat(run(SendCommand::run, "asc", "ping", "--data-dir", dataDir.toString()).status()).isZero();
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            String events = run(TailCommand::run, "events", "--from-beginning", "--data-dir", dataDir.toString()).out();
            assertThat(events.lines().filter(line -> line.contains("webhookPingCreated"))).hasSize(expectedPings);
        });
    }

    @FunctionalInterface
    interface Command {
        int run(List<String> args, PrintStream out, PrintStream err);
    }

    private record Result(int status, String out) {
    }

    private static Result run(Command command, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = command.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        return new Result(status, out.toString(StandardCharsets.UTF_8));
    }
}
