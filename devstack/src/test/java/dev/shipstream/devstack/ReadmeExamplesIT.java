package dev.shipstream.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's quick start runs as pasted: every {@code ```sh} block from its start up to "Pointing the providers",
 * in order, in one bash session (so exports carry over as in a terminal), against a devstack this test starts. A
 * block preceded by {@code <!-- readme-examples: skip (why) -->} is not run.
 *
 * <p>What the test changes, and only this: {@code ./shipstream} is a stand-in that runs the repository's launcher
 * with this test's data directory and without building, and does nothing for {@code build} and {@code dev} (the
 * test's devstack plays that part, with the {@code SHIPSTREAM_*} secrets the examples export);
 * {@code tail --follow} stops after {@value #FOLLOW_SECONDS} s; the devstack's default addresses
 * ({@code 127.0.0.1:8080} and the others) are replaced by the ports this test's devstack got.
 */
class ReadmeExamplesIT {

    static final int FOLLOW_SECONDS = 15;
    private static final long BOUND_SECONDS = 240;
    private static final Pattern BLOCK = Pattern.compile(
            "(<!-- readme-examples: skip \\(([^)]+)\\) -->\\n)?```sh\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern EXPORT = Pattern.compile("^export (SHIPSTREAM_\\w+)=(\\S+)$", Pattern.MULTILINE);

    @TempDir
    Path work;

    @Test
    void quickStartShellExamplesRunAsPastedAgainstADevstack() throws Exception {
        Path repository = repositoryRoot();
        String quickStart = quickStart(Files.readString(repository.resolve("README.md")));
        List<String> blocks = runnableBlocks(quickStart);
        assertThat(blocks).as("runnable sh blocks in the quick start").hasSizeGreaterThanOrEqualTo(3);

        Path dataDir = work.resolve("data");
        Map<String, String> environment = new LinkedHashMap<>();
        blocks.forEach(block -> exportsOf(block, environment));
        try (DevStack stack = DevStack.start(new DevStackOptions(dataDir, false, 0, 0, 0, 0, 0,
                work.resolve("no-plugins")), environment)) {
            Path script = work.resolve("examples.sh");
            Files.writeString(script, script(blocks, stack));
            Path launcher = standIn(repository, dataDir);

            ProcessBuilder bash = new ProcessBuilder("bash", script.toString())
                    .directory(launcher.getParent().toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(work.resolve("output.txt").toFile());
            Process process = bash.start();
            boolean finished = process.waitFor(BOUND_SECONDS, TimeUnit.SECONDS);
            if (!finished) {
                process.descendants().forEach(ProcessHandle::destroy);
                process.destroy();
            }
            String output = Files.readString(work.resolve("output.txt"));

            assertThat(finished).as("the examples finished within %d s:%n%s", BOUND_SECONDS, output).isTrue();
            assertThat(process.exitValue()).as("exit status of the examples:%n%s", output).isZero();
            // send's answers, and the hand-signed curl's answer in the ping example.
            assertThat(output).as(output).contains("200 {\"accepted\":true,\"id\":\"")
                    .containsPattern("(?m)^\\{\"accepted\":true,\"id\":\"[0-9a-f-]{36}\"}");
            // tail events shows the decoded PING event the quick start promises.
            assertThat(output).as(output).contains("\"category\":\"PING\"");
        }
    }

    /** From the start of the README up to the section on the providers. */
    static String quickStart(String readme) {
        int end = readme.indexOf("\n## Pointing the providers");
        assertThat(end).as("the README's section on the providers").isPositive();
        return readme.substring(0, end);
    }

    /** The bodies of the {@code ```sh} blocks not marked to skip, in order. */
    static List<String> runnableBlocks(String markdown) {
        List<String> blocks = new ArrayList<>();
        Matcher matcher = BLOCK.matcher(markdown);
        while (matcher.find()) {
            if (matcher.group(1) == null) {
                blocks.add(matcher.group(3));
            }
        }
        return blocks;
    }

    private static void exportsOf(String block, Map<String, String> environment) {
        Matcher matcher = EXPORT.matcher(block);
        while (matcher.find()) {
            environment.put(matcher.group(1), matcher.group(2));
        }
    }

    /** The blocks as one script, each announced, with the default addresses pointing at this devstack. */
    private static String script(List<String> blocks, DevStack stack) {
        Map<String, String> addresses = Map.of(
                "127.0.0.1:8080", "127.0.0.1:" + stack.ingressPort(),
                "127.0.0.1:9092", stack.bootstrapServers(),
                "http://127.0.0.1:8081", stack.schemaRegistryUrl(),
                "http://127.0.0.1:8083", stack.connectUrl().toString());
        StringBuilder script = new StringBuilder("set -euo pipefail\n");
        for (int i = 0; i < blocks.size(); i++) {
            String block = blocks.get(i);
            for (Map.Entry<String, String> address : addresses.entrySet()) {
                block = block.replace(address.getKey(), address.getValue());
            }
            script.append("echo '### README block ").append(i + 1).append("'\n").append(block).append('\n');
        }
        return script.toString();
    }

    /** {@code ./shipstream} for the examples: the real launcher on this test's data directory, never building. */
    private Path standIn(Path repository, Path dataDir) throws IOException {
        Path directory = Files.createDirectories(work.resolve("cwd"));
        Path launcher = directory.resolve("shipstream");
        Files.writeString(launcher, """
                #!/usr/bin/env bash
                set -uo pipefail
                command="${1:-}"
                [ $# -gt 0 ] && shift
                case "$command" in
                  build|dev) echo "(ReadmeExamplesIT: ./shipstream $command is the test's devstack)"; exit 0 ;;
                esac
                export SHIPSTREAM_SKIP_BUILD=1
                for argument in "$@"; do
                  if [ "$argument" = "--follow" ]; then
                    timeout %d "%s" "$command" "$@" --data-dir "%s"
                    status=$?
                    [ $status -eq 124 ] && exit 0
                    exit $status
                  fi
                done
                exec "%s" "$command" "$@" --data-dir "%s"
                """.formatted(FOLLOW_SECONDS, repository.resolve("shipstream"), dataDir,
                repository.resolve("shipstream"), dataDir), StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwx------"));
        return launcher;
    }

    private static Path repositoryRoot() {
        Path module = Path.of("").toAbsolutePath();
        Path root = Files.exists(module.resolve("README.md")) && Files.exists(module.resolve("shipstream"))
                ? module : module.getParent();
        assertThat(root.resolve("shipstream")).as("the launcher in the repository's root").isRegularFile();
        return root;
    }
}
