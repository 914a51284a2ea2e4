package dev.shipstream.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.shipstream.testsupport.CapturedLogs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a newcomer sees on the second {@code ./shipstream dev} on the same data directory, after a clean stop: no
 * task reported corrupted, and the streams app's state reused rather than restored from its changelogs.
 */
class DevStackRestartIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dataDir;

    @Test
    void aRestartAfterACleanStopReportsNoCorruptedTaskAndRestoresNothing() throws Exception {
        try (DevStack stack = start()) {
            assertThat(send("--scenario", "release", "--pace", "0")).isZero();
            // Processed and committed: the scenario's events are on shipstream.events.
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(events()).hasSize(9));
        }

        try (CapturedLogs logs = CapturedLogs.capture(); DevStack restarted = start()) {
            assertThat(send("asc", "ping")).isZero();

            assertThat(logs.lines()).as("log of the second start")
                    .filteredOn(line -> line.contains("TaskCorruptedException") || line.contains("corrupted"))
                    .isEmpty();
            assertThat(metrics(restarted)).contains("shipstream_streams_restored_records_total 0.0");
        }
    }

    private DevStack start() {
        return DevStack.start(new DevStackOptions(dataDir, false, 0, 0, 0, 0, 0, dataDir.resolve("no-plugins")),
                Map.of());
    }

    private int send(String... args) {
        List<String> command = new ArrayList<>(List.of(args));
        command.addAll(List.of("--data-dir", dataDir.toString()));
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        return SendCommand.run(command, quiet, quiet);
    }

    private List<String> events() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        TailCommand.run(List.of("events", "--from-beginning", "--data-dir", dataDir.toString()),
                new PrintStream(out, true, StandardCharsets.UTF_8), quiet);
        return out.toString(StandardCharsets.UTF_8).lines().toList();
    }

    private static String metrics(DevStack stack) throws Exception {
        String streams = stack.addresses().get("Streams").split(" ")[0];
        return HTTP.send(HttpRequest.newBuilder(URI.create(streams + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
