package dev.shipstream.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Only task directories without a single file are removed; state and everything else is left alone. */
class EmptyTaskDirectoriesTest {

    @TempDir
    Path appStateDir;

    @Test
    void removesTaskDirectoriesThatHoldOnlyEmptyDirectories() throws IOException {
        Files.createDirectories(appStateDir.resolve("0_1/shipstream-dedup-event-ids"));
        Path segment = Files.createDirectories(appStateDir.resolve("0_2/shipstream-dedup-event-ids/s.1795953600000"));
        Files.writeString(segment.resolve("000011.sst"), "state");
        Files.createDirectories(appStateDir.resolve("not-a-task/empty"));
        Files.createFile(appStateDir.resolve(".lock"));

        assertThat(EmptyTaskDirectories.prune(appStateDir)).containsExactly("0_1");

        assertThat(appStateDir.resolve("0_1")).doesNotExist();
        assertThat(segment.resolve("000011.sst")).hasContent("state");
        assertThat(appStateDir.resolve("not-a-task/empty")).isDirectory();
        assertThat(appStateDir.resolve(".lock")).exists();
    }

    @Test
    void aMissingStateDirectoryIsNothingToDo() {
        assertThat(EmptyTaskDirectories.prune(appStateDir.resolve("never-started"))).isEmpty();
    }
}
