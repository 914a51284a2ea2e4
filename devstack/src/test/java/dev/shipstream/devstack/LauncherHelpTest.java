package dev.shipstream.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code shipstream} launcher answers {@code --help} from the sources, before any build: run here in a copy of
 * the repository that has the launcher and the sources but no Maven wrapper and no build, so a launcher that tried to
 * build first would fail. Its answers are the commands' own {@code USAGE} texts.
 */
class LauncherHelpTest {

    private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();
    private static final Path SOURCES = Path.of("devstack/src/main/java/dev/shipstream/devstack");

    @TempDir
    Path copy;

    @Test
    void answersHelpOfEveryCommandWithoutBuilding() throws IOException, InterruptedException {
        Files.createDirectories(copy.resolve(SOURCES));
        Files.copy(REPOSITORY.resolve("shipstream"), copy.resolve("shipstream"));
        for (String source : List.of("DevStackOptions", "SendCommand", "TailCommand", "DeadLettersCommand")) {
            Files.copy(REPOSITORY.resolve(SOURCES).resolve(source + ".java"),
                    copy.resolve(SOURCES).resolve(source + ".java"));
        }

        assertThat(help("dev")).isEqualTo(DevStackOptions.USAGE + "\n");
        assertThat(help("send")).isEqualTo(SendCommand.USAGE + "\n");
        assertThat(help("tail")).isEqualTo(TailCommand.USAGE + "\n");
        assertThat(help("deadletters")).isEqualTo(DeadLettersCommand.USAGE + "\n");
    }

    private String help(String command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("bash", "shipstream", command, "--help")
                .directory(copy.toFile()).redirectErrorStream(true).start();
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).as("the launcher answered within 10 s").isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }
}
