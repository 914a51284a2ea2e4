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
 * The {@code shipstream} launcher, run in a copy of the repository that has the launcher and the devstack's sources
 * but no build. It answers {@code --help} from the sources before any build (there is no Maven wrapper in the copy,
 * so a launcher that tried to build first would fail), with the commands' own {@code USAGE} texts; and launchers
 * started together build once, one after the other (a fake wrapper records each build, a fake {@code java} each run).
 */
class LauncherTest {

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

    @Test
    void launchersStartedTogetherBuildOnceNotConcurrently() throws IOException, InterruptedException {
        Files.createDirectories(copy.resolve(SOURCES));
        Files.copy(REPOSITORY.resolve("shipstream"), copy.resolve("shipstream"));
        Files.writeString(copy.resolve(SOURCES).resolve("SendCommand.java"), "class SendCommand {}\n");
        Path builds = copy.resolve("builds.log");
        script(copy.resolve("mvnw"), """
                #!/usr/bin/env bash
                echo "start $$" >> builds.log
                sleep 2
                mkdir -p devstack/target && echo "fake.jar" > devstack/target/devstack.classpath
                echo "end $$" >> builds.log
                """);
        Path bin = Files.createDirectories(copy.resolve("bin"));
        script(bin.resolve("java"), "#!/usr/bin/env bash\necho ran\n");

        List<Process> launchers = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ProcessBuilder launcher = new ProcessBuilder("bash", "shipstream", "send", "--list")
                    .directory(copy.toFile()).redirectErrorStream(true);
            launcher.environment().put("PATH", bin + ":" + System.getenv("PATH"));
            launchers.add(launcher.start());
        }
        for (Process launcher : launchers) {
            assertThat(launcher.waitFor(60, TimeUnit.SECONDS)).as("the launcher finished within 60 s").isTrue();
            String output = new String(launcher.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(output).as(output).endsWith("ran\n");
        }

        List<String> log = Files.readAllLines(builds);
        assertThat(log).hasSize(2);
        assertThat(log.get(0)).startsWith("start ");
        assertThat(log.get(1)).startsWith("end ");
        assertThat(copy.resolve("devstack/target/.shipstream-build.lock")).doesNotExist();
    }

    private static void script(Path path, String text) throws IOException {
        Files.writeString(path, text);
        assertThat(path.toFile().setExecutable(true)).isTrue();
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
